// Runs the app's function through the installed package, and prints what it saw as JSON.
import { createKernel } from 'fc-kernel';
import { createTestContext, createTestKernel, fixtures } from 'fc-kernel/testing';
import { Counter, CountItems, type Line } from './countItems';

class DoubleCounter {
  count(lines: Line[]): number {
    return 2 * lines.reduce((sum, line) => sum + line.quantity, 0);
  }
}

const order = {
  orderId: 'A-1',
  lines: [
    { sku: 'BOOK', quantity: 2 },
    { sku: 'PEN', quantity: 3 },
  ],
};

async function main(): Promise<void> {
  const kernel = createKernel({ functions: [CountItems], logSink: () => undefined });
  const dispatched = await kernel.dispatch({
    method: 'POST',
    path: '/invoke',
    headers: { 'x-fc-request-id': 'plain-1' },
    body: JSON.stringify(order),
  });
  await kernel.close();

  const tk = createTestKernel([CountItems]);
  const tested = await tk.invoke<{ items: number }>(order, { requestId: 'kit-1' });
  const invalid = await tk.invoke({ orderId: 'A-2', lines: [{ sku: 'BOOK', quantity: 0 }] });
  await tk.close();

  const doubled = createTestKernel(CountItems, { overrides: [[Counter, { useClass: DoubleCounter }]] });
  const overridden = await doubled.invoke<{ items: number }>(order);
  await doubled.close();

  const ctx = createTestContext({ requestId: 'unit-1' });
  ctx.logger.info('unit');

  process.stdout.write(
    JSON.stringify({
      dispatched: { statusCode: dispatched.statusCode, body: String(dispatched.body) },
      tested: { ok: tested.ok, body: tested.body, logs: tested.logs },
      invalid: { xFcStatus: invalid.xFcStatus, paths: invalid.error?.errors?.map((e) => e.path) },
      overridden: overridden.body,
      contextLogs: ctx.logs,
      timerFixture: fixtures.timer({ triggerName: 'nightly' }),
    }),
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
