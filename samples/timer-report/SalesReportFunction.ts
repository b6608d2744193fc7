import { Ctx, Event, FcContext, FcFunction, inject, Lifecycle, OnInitialize, OnInvoke, registry } from 'fc-kernel';
import { REPORT_MAILER, OutboxMailer, type ReportMailer } from './ReportMailer';
import { ReportTick } from './ReportRequest';
import { readReportSettings, REPORT_ENVIRONMENT, type ReportSettings } from './ReportSettings';
import { InMemorySalesLedger, SALES_LEDGER, type SalesLedger } from './SalesLedger';
import { SalesReportBuilder, type SalesReport } from './SalesReport';

const HOUR_MS = 60 * 60 * 1000;

/**
 * Mails a sales report each time its Timer trigger fires. The trigger's payload says what to
 * report and to whom; the deployment's environment says how, and is validated once, when the
 * instance initializes.
 */
@FcFunction({ name: 'sales-report' })
@registry([
  { token: SALES_LEDGER, useClass: InMemorySalesLedger, options: { lifecycle: Lifecycle.Singleton } },
  { token: REPORT_MAILER, useClass: OutboxMailer, options: { lifecycle: Lifecycle.Singleton } },
  { token: REPORT_ENVIRONMENT, useValue: process.env },
])
export class SalesReportFunction {
  #settings: ReportSettings | undefined;

  constructor(
    private readonly builder: SalesReportBuilder,
    @inject(SALES_LEDGER) private readonly ledger: SalesLedger,
    @inject(REPORT_MAILER) private readonly mailer: ReportMailer,
    @inject(REPORT_ENVIRONMENT) private readonly environment: NodeJS.ProcessEnv,
  ) {}

  /** Fails the initialization, which FC retries, when the settings are wrong: no report runs on them. */
  @OnInitialize()
  configure(@Ctx() ctx: FcContext): void {
    const settings = readReportSettings(this.environment);
    this.#settings = settings;
    ctx.logger.info(`reports from ${settings.sender} in ${settings.currency}, top ${settings.topProducts} product(s)`);
  }

  @OnInvoke()
  async report(@Event() tick: ReportTick, @Ctx() ctx: FcContext): Promise<SalesReport> {
    const settings = this.settings;
    const { title, periodHours, recipients } = tick.payload;
    const to = new Date(tick.triggerTime);
    const from = new Date(to.getTime() - periodHours * HOUR_MS);
    const sales = await this.ledger.salesBetween(from, to);
    const report = this.builder.build({ title, from, to }, sales, settings);
    await this.mailer.send({
      from: settings.sender,
      to: recipients,
      subject: `${title}: ${report.revenue.toFixed(2)} ${report.currency} from ${report.orders} order(s)`,
      text: this.builder.render(report),
    });
    ctx.logger.info(`${tick.triggerName}: sent "${title}" to ${recipients.length} recipient(s)`);
    return report;
  }

  private get settings(): ReportSettings {
    // Set by @OnInitialize, which the kernel runs to success before it invokes the handler.
    if (!this.#settings) throw new Error('sales-report is not initialized');
    return this.#settings;
  }
}
