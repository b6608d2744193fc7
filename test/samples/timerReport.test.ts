import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTestKernel, fixtures, type TestKernel } from 'fc-kernel/testing';
import { OutboxMailer, REPORT_MAILER } from '../../samples/timer-report/ReportMailer';
import { REPORT_ENVIRONMENT } from '../../samples/timer-report/ReportSettings';
import { InMemorySalesLedger, SALES_LEDGER, type Sale } from '../../samples/timer-report/SalesLedger';
import type { SalesReport } from '../../samples/timer-report/SalesReport';
import { SalesReportFunction } from '../../samples/timer-report/SalesReportFunction';
import { propsOf, SAMPLES_DIR } from './sampleFiles';

const DAILY = { title: 'Daily sales', periodHours: 24, recipients: ['ops@example.com'] };
const ENVIRONMENT = { REPORT_SENDER: 'reports@example.com', REPORT_CURRENCY: 'USD', REPORT_TOP_PRODUCTS: '2' };

function sale(orderId: string, sku: string, quantity: number, amountMinor: number, soldAt: string): Sale {
  return { orderId, sku, quantity, amountMinor, soldAt };
}

/** A tick of the timer, by default at midnight UTC on 6 May 2024 with the daily request. */
function tick(payload: object | string = DAILY, triggerTime = '2024-05-06T00:00:00Z') {
  return fixtures.timer({ triggerName: 'every-morning', triggerTime, payload });
}

describe('samples/timer-report with the testing kit', () => {
  let mailer: OutboxMailer;
  let environment: NodeJS.ProcessEnv;
  let kits: TestKernel[];

  beforeEach(() => {
    mailer = new OutboxMailer();
    environment = { ...ENVIRONMENT };
    kits = [];
  });
  afterEach(() => Promise.all(kits.map((tk) => tk.close())));

  /** The function with the test's mailer and environment, and `sales` in its ledger. */
  function kernelWith(sales: Sale[]): TestKernel {
    const tk = createTestKernel(SalesReportFunction, {
      overrides: [
        [SALES_LEDGER, { useValue: new InMemorySalesLedger(sales) }],
        [REPORT_MAILER, { useValue: mailer }],
        [REPORT_ENVIRONMENT, { useValue: environment }],
      ],
    });
    kits.push(tk);
    return tk;
  }

  describe('a tick with a valid request', () => {
    const sales = [
      sale('A-1', 'BOOK-1', 2, 3998, '2024-05-05T00:00:00Z'),
      sale('A-2', 'MUG-7', 1, 1200, '2024-05-05T10:00:00Z'),
      sale('A-2', 'BOOK-1', 1, 1999, '2024-05-05T10:00:00Z'),
      sale('A-3', 'PEN-2', 10, 1200, '2024-05-05T23:59:59Z'),
      // Just outside the period: `to` is exclusive, the hour before `from` is not in it.
      sale('A-4', 'LAMP-3', 1, 8900, '2024-05-06T00:00:00Z'),
      sale('A-0', 'LAMP-3', 1, 8900, '2024-05-04T23:59:59Z'),
    ];

    it('reports the period before the trigger time, in the configured currency, top products first', async () => {
      const res = await kernelWith(sales).invoke<SalesReport>(tick());
      expect(res.ok, JSON.stringify(res.error)).to.equal(true);
      expect(res.body).to.deep.equal({
        title: 'Daily sales',
        from: '2024-05-05T00:00:00.000Z',
        to: '2024-05-06T00:00:00.000Z',
        currency: 'USD',
        orders: 3,
        unitsSold: 14,
        revenue: 83.97,
        // REPORT_TOP_PRODUCTS=2; MUG-7 and PEN-2 tie at 12.00 and sort by SKU.
        topProducts: [
          { sku: 'BOOK-1', units: 3, revenue: 59.97 },
          { sku: 'MUG-7', units: 1, revenue: 12 },
        ],
      });
    });

    it('mails the report from the configured sender to the requested recipients', async () => {
      const res = await kernelWith(sales).invoke(
        tick({ ...DAILY, recipients: ['ops@example.com', 'cfo@example.com'] }),
      );
      expect(res.ok).to.equal(true);
      expect(mailer.outbox).to.have.length(1);
      const [mail] = mailer.outbox;
      expect(mail).to.deep.include({
        from: 'reports@example.com',
        to: ['ops@example.com', 'cfo@example.com'],
        subject: 'Daily sales: 83.97 USD from 3 order(s)',
      });
      expect(mail!.text.split('\n')).to.deep.equal([
        'Daily sales, 2024-05-05T00:00:00.000Z to 2024-05-06T00:00:00.000Z',
        '',
        'Orders: 3',
        'Units sold: 14',
        'Revenue: 83.97 USD',
        '',
        'Top products:',
        '1. BOOK-1: 3 unit(s), 59.97 USD',
        '2. MUG-7: 1 unit(s), 12.00 USD',
      ]);
      expect(res.logs.some((l) => l.endsWith('[INFO] every-morning: sent "Daily sales" to 2 recipient(s)'))).to.equal(
        true,
      );
    });

    it('covers periodHours, whatever the trigger time', async () => {
      const res = await kernelWith(sales).invoke<SalesReport>(
        tick({ ...DAILY, title: 'Last two hours', periodHours: 2 }, '2024-05-05T11:00:00Z'),
      );
      expect(res.body).to.include({ from: '2024-05-05T09:00:00.000Z', to: '2024-05-05T11:00:00.000Z', orders: 1 });
    });

    it('reports a period without sales as zeros', async () => {
      const res = await kernelWith([]).invoke<SalesReport>(tick());
      expect(res.body).to.include({ orders: 0, unitsSold: 0, revenue: 0 });
      expect(res.body.topProducts).to.deep.equal([]);
      expect(mailer.outbox[0]!.text).to.match(/Top products:\n\(no sales\)$/);
    });
  });

  describe('a tick that is not a valid request', () => {
    const cases: { name: string; event: object; paths: string[] }[] = [
      { name: 'a payload that is not JSON', event: tick('TestPayload'), paths: ['payload'] },
      { name: 'a JSON payload that is not an object', event: tick('[1,2]'), paths: ['payload'] },
      {
        name: 'a request breaking every rule',
        event: tick({ title: '', periodHours: 0.5, recipients: ['ops@', 'ops@'], format: 'pdf' }),
        paths: ['payload.format', 'payload.title', 'payload.periodHours', 'payload.recipients'],
      },
      { name: 'no recipients', event: tick({ ...DAILY, recipients: [] }), paths: ['payload.recipients'] },
      { name: 'a period over a month', event: tick({ ...DAILY, periodHours: 745 }), paths: ['payload.periodHours'] },
      { name: 'a trigger time that is not a timestamp', event: tick(DAILY, 'yesterday'), paths: ['triggerTime'] },
    ];
    for (const { name, event, paths } of cases) {
      it(`refuses ${name} at ${paths.join(', ')}, and mails nothing`, async () => {
        const res = await kernelWith([]).invoke(event);
        expect(res.ok).to.equal(false);
        expect(res.error?.errorType).to.equal('ValidationError');
        expect(res.error?.errors?.map((e) => e.path)).to.have.members(paths);
        expect(mailer.outbox).to.deep.equal([]);
      });
    }
  });

  describe('the settings, validated when the instance initializes', () => {
    it('are read from the environment, with defaults for the currency and the number of products', async () => {
      environment = { REPORT_SENDER: 'reports@example.com', REPORT_CURRENCY: 'cny' };
      const tk = kernelWith([]);
      const init = await tk.initialize();
      expect(init.ok).to.equal(true);
      expect(
        init.logs.some((l) => l.endsWith('[INFO] reports from reports@example.com in CNY, top 5 product(s)')),
      ).to.equal(true);
      delete environment.REPORT_CURRENCY;
      expect((await tk.invoke<SalesReport>(tick())).body.currency).to.equal('CNY');
    });

    it('fail the initialization with every variable to fix, and no report runs', async () => {
      environment = { REPORT_CURRENCY: 'yuan', REPORT_TOP_PRODUCTS: 'ten' };
      const tk = kernelWith([]);
      const init = await tk.initialize();
      expect(init.ok).to.equal(false);
      expect(init.error?.errorType).to.equal('InitializationError');
      expect(init.error?.errorMessage).to.equal(
        'Initialization of function "sales-report" failed: invalid report settings: ' +
          'REPORT_SENDER must be an email address; ' +
          'REPORT_CURRENCY must be an ISO 4217 currency code, such as CNY or USD; ' +
          'REPORT_TOP_PRODUCTS must be a whole number',
      );
      const res = await tk.invoke(tick());
      expect(res.error?.errorType).to.equal('InitializationError');
      expect(mailer.outbox).to.deep.equal([]);
    });

    for (const [value, message] of [
      ['0', 'REPORT_TOP_PRODUCTS must be at least 1'],
      ['21', 'REPORT_TOP_PRODUCTS must be at most 20'],
      ['', 'REPORT_TOP_PRODUCTS must be at least 1'],
      ['2.5', 'REPORT_TOP_PRODUCTS must be a whole number'],
    ]) {
      it(`refuse REPORT_TOP_PRODUCTS=${JSON.stringify(value)}`, async () => {
        environment = { ...ENVIRONMENT, REPORT_TOP_PRODUCTS: value };
        const init = await kernelWith([]).initialize();
        expect(init.error?.errorMessage).to.match(new RegExp(`: invalid report settings: ${message}$`));
      });
    }

    it('are read again when FC retries a failed initialization, once the environment is fixed', async () => {
      environment = {};
      const tk = kernelWith([]);
      expect((await tk.initialize()).ok).to.equal(false);
      environment.REPORT_SENDER = 'reports@example.com';
      expect((await tk.initialize()).ok).to.equal(true);
      expect((await tk.invoke(tick())).ok).to.equal(true);
      expect(mailer.outbox).to.have.length(1);
    });
  });

  it("answers its s.yaml's trigger payload in its s.yaml's environment, as deployed", async () => {
    const props = propsOf('timer-report', 'sales-report');
    const timer = props.triggers!.find((t) => t.triggerType === 'timer')!;
    environment = { ...props.environmentVariables };
    const res = await kernelWith([sale('A-1', 'BOOK-1', 1, 1999, '2024-05-05T08:00:00Z')]).invoke<SalesReport>(
      fixtures.timer({ triggerName: timer.triggerName, payload: timer.triggerConfig.payload as string }),
    );
    expect(res.ok, JSON.stringify(res.error)).to.equal(true);
    expect(mailer.outbox[0]!.to).to.deep.equal(['ops@example.com', 'finance@example.com']);
  });

  it("answers the sample's event.json with the in-memory ledger's day of sales", async () => {
    const tk = createTestKernel(SalesReportFunction, {
      overrides: [
        [REPORT_MAILER, { useValue: mailer }],
        [REPORT_ENVIRONMENT, { useValue: environment }],
      ],
    });
    kits.push(tk);
    const res = await tk.invoke<SalesReport>(readFileSync(join(SAMPLES_DIR, 'timer-report/event.json')));
    expect(res.body).to.deep.include({ orders: 4, unitsSold: 8, revenue: 193.06 });
    expect(res.body.topProducts.map((p) => p.sku)).to.deep.equal(['LAMP-3', 'BOOK-1']);
  });
});
