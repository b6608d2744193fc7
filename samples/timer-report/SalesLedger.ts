import type { InjectionToken } from 'fc-kernel';

/** One sold order line. Amounts are in the currency's minor unit (cents, fen), so sums are exact. */
export interface Sale {
  orderId: string;
  sku: string;
  quantity: number;
  amountMinor: number;
  /** ISO-8601. */
  soldAt: string;
}

/** Where the sales are read from. Injected by token, so a test or a real database can replace it. */
export interface SalesLedger {
  /** The sales with `from <= soldAt < to`. */
  salesBetween(from: Date, to: Date): Promise<Sale[]>;
}

export const SALES_LEDGER: InjectionToken<SalesLedger> = Symbol('SalesLedger');

/**
 * A ledger in memory, for running the sample without a database. It holds the sales it is given;
 * by default a day of sample sales, 5 May 2024 (UTC), which `event.json`'s tick reports on.
 */
export class InMemorySalesLedger implements SalesLedger {
  constructor(private readonly sales: readonly Sale[] = SAMPLE_SALES) {}

  async salesBetween(from: Date, to: Date): Promise<Sale[]> {
    return this.sales.filter((sale) => {
      const at = Date.parse(sale.soldAt);
      return at >= from.getTime() && at < to.getTime();
    });
  }
}

const SAMPLE_SALES: readonly Sale[] = [
  { orderId: 'A-1001', sku: 'BOOK-1', quantity: 3, amountMinor: 5997, soldAt: '2024-05-05T01:12:00Z' },
  { orderId: 'A-1001', sku: 'PEN-2', quantity: 1, amountMinor: 10, soldAt: '2024-05-05T01:12:00Z' },
  { orderId: 'A-1002', sku: 'MUG-7', quantity: 2, amountMinor: 2400, soldAt: '2024-05-05T09:40:00Z' },
  { orderId: 'A-1003', sku: 'BOOK-1', quantity: 1, amountMinor: 1999, soldAt: '2024-05-05T15:03:00Z' },
  { orderId: 'A-1004', sku: 'LAMP-3', quantity: 1, amountMinor: 8900, soldAt: '2024-05-05T22:58:00Z' },
  // Outside the day: a report of 5 May leaves them out.
  { orderId: 'A-0999', sku: 'PEN-2', quantity: 5, amountMinor: 50, soldAt: '2024-05-04T23:59:59Z' },
  { orderId: 'A-1005', sku: 'MUG-7', quantity: 1, amountMinor: 1200, soldAt: '2024-05-06T00:00:00Z' },
];
