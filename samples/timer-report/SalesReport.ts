import { injectable } from 'fc-kernel';
import type { ReportSettings } from './ReportSettings';
import type { Sale } from './SalesLedger';

/** A product's share of the period. */
export interface ProductSales {
  sku: string;
  units: number;
  revenue: number;
}

/** What `sales-report` answers, and mails. */
export interface SalesReport {
  title: string;
  /** The period covered: `from` inclusive, `to` exclusive, ISO-8601 UTC. */
  from: string;
  to: string;
  currency: string;
  orders: number;
  unitsSold: number;
  revenue: number;
  /** The best sellers by revenue, then by SKU, at most `REPORT_TOP_PRODUCTS` of them. */
  topProducts: ProductSales[];
}

/** The period a report covers. */
export interface ReportPeriod {
  title: string;
  from: Date;
  to: Date;
}

/** Sums a period's sales into a report, and writes it as the text of a mail. Stateless. */
@injectable()
export class SalesReportBuilder {
  build(period: ReportPeriod, sales: readonly Sale[], settings: ReportSettings): SalesReport {
    const bySku = new Map<string, { units: number; minor: number }>();
    for (const sale of sales) {
      const product = bySku.get(sale.sku) ?? { units: 0, minor: 0 };
      product.units += sale.quantity;
      product.minor += sale.amountMinor;
      bySku.set(sale.sku, product);
    }
    const topProducts = [...bySku]
      .sort(([skuA, a], [skuB, b]) => b.minor - a.minor || skuA.localeCompare(skuB))
      .slice(0, settings.topProducts)
      .map(([sku, { units, minor }]) => ({ sku, units, revenue: minor / 100 }));
    return {
      title: period.title,
      from: period.from.toISOString(),
      to: period.to.toISOString(),
      currency: settings.currency,
      orders: new Set(sales.map((sale) => sale.orderId)).size,
      unitsSold: sales.reduce((sum, sale) => sum + sale.quantity, 0),
      revenue: sales.reduce((sum, sale) => sum + sale.amountMinor, 0) / 100,
      topProducts,
    };
  }

  render(report: SalesReport): string {
    const money = (amount: number) => `${amount.toFixed(2)} ${report.currency}`;
    return [
      `${report.title}, ${report.from} to ${report.to}`,
      '',
      `Orders: ${report.orders}`,
      `Units sold: ${report.unitsSold}`,
      `Revenue: ${money(report.revenue)}`,
      '',
      'Top products:',
      ...(report.topProducts.length > 0
        ? report.topProducts.map((p, i) => `${i + 1}. ${p.sku}: ${p.units} unit(s), ${money(p.revenue)}`)
        : ['(no sales)']),
    ].join('\n');
  }
}
