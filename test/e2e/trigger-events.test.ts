import { expect } from 'chai';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ctx, Event, FcFunction, OnInvoke, type FcContext } from '../../src';
import { closeServers, expectOk, invoke, startServer } from './helpers';

const PROJECT_ROOT = join(__dirname, '..', '..', '..');
/** The real trigger payloads, vendored from `../shared/fc-events/` beside the project. */
const EVENTS_DIR = join(PROJECT_ROOT, 'test', 'fixtures', 'fc-events');
const SHARED_EVENTS_DIR = join(PROJECT_ROOT, '..', 'shared', 'fc-events');

function declareFunctions() {
  /** Echoes the parsed event with what it learnt from FC's headers. */
  @FcFunction({ name: 'any-trigger' })
  class AnyTrigger {
    @OnInvoke()
    handle(@Event() event: object, @Ctx() ctx: FcContext) {
      return { event, requestId: ctx.requestId, retryCount: ctx.retryCount };
    }
  }

  /** Sees the exact bytes FC delivered. */
  @FcFunction({ name: 'raw-trigger' })
  class RawTrigger {
    @OnInvoke()
    handle(@Event() body: Buffer) {
      return body;
    }
  }
  return [AnyTrigger, RawTrigger];
}

describe('e2e: real trigger payloads over HTTP', () => {
  let port: number;
  before(async () => {
    port = (await startServer({ functions: declareFunctions() })).port;
  });
  after(closeServers);

  const files = readdirSync(EVENTS_DIR).filter((f) => f.endsWith('.json'));

  it('finds the payloads', () => {
    expect(files).to.include.members(['oss.json', 'kafka-eventbridge.json', 'rocketmq-batch.json', 'timer.json']);
  });

  it('vendors the shared payloads unchanged', function () {
    if (!existsSync(SHARED_EVENTS_DIR)) this.skip();
    const shared = readdirSync(SHARED_EVENTS_DIR).filter((f) => f.endsWith('.json'));
    expect(files).to.have.members(shared);
    for (const file of shared) {
      expect(readFileSync(join(EVENTS_DIR, file), 'utf8'), file).to.equal(
        readFileSync(join(SHARED_EVENTS_DIR, file), 'utf8'),
      );
    }
  });

  for (const file of files) {
    it(`delivers ${file} unchanged, parsed and raw`, async () => {
      const bytes = readFileSync(join(EVENTS_DIR, file));
      const parsed = await invoke(port, bytes, {
        'x-fc-function-name': 'any-trigger',
        'x-fc-request-id': `req-${file}`,
        'x-fc-retry-count': '2',
      });
      expect(expectOk(parsed).json()).to.deep.equal({
        event: JSON.parse(bytes.toString('utf8')),
        requestId: `req-${file}`,
        retryCount: 2,
      });

      const raw = expectOk(await invoke(port, bytes, { 'x-fc-function-name': 'raw-trigger' }));
      expect(raw.headers['content-type']).to.equal('application/octet-stream');
      expect(raw.body.equals(bytes)).to.equal(true);
    });
  }
});
