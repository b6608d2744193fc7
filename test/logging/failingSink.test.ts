import { expect } from 'chai';
import { createKernel, Ctx, Event, FcContext, FcFunction, OnInvoke, type Kernel } from '../../src';
import { captureStderr } from '../helpers/stderrCapture';

/** A sink whose log store is unreachable for the lines `failsOn` picks. */
function failingSink(failsOn: (line: string) => boolean): (line: string) => void {
  return (line) => {
    if (failsOn(line)) throw new Error('log store unreachable');
  };
}

const post = (kernel: Kernel, fn: string, body: string) =>
  kernel.dispatch({
    method: 'POST',
    path: '/invoke',
    headers: { 'x-fc-request-id': `sink-${fn}`, 'x-fc-function-name': fn },
    body,
  });

describe('a log sink that throws', () => {
  let runs = 0;

  @FcFunction({ name: 'counted' })
  class Counted {
    @OnInvoke()
    run(@Event() text: string, @Ctx() ctx: FcContext): string {
      runs++;
      ctx.logger.info(`ran with ${text}`);
      return `done ${text}`;
    }
  }

  @FcFunction({ name: 'failing' })
  class Failing {
    @OnInvoke()
    run(): never {
      runs++;
      throw new RangeError('the handler failed on its own');
    }
  }

  const cases: [string, (line: string) => boolean][] = [
    ['the End marker', (line) => line.startsWith('FC Invoke End')],
    ['the Start marker', (line) => line.startsWith('FC Invoke Start')],
    ['every line', () => true],
  ];
  for (const [what, failsOn] of cases) {
    it(`never changes an answer, nor runs the handler twice (it throws on ${what})`, async () => {
      runs = 0;
      const kernel = createKernel({ functions: [Counted, Failing], env: {}, logSink: failingSink(failsOn) });
      const stderr = captureStderr();
      try {
        const ok = await post(kernel, 'counted', 'x');
        expect([ok.statusCode, String(ok.body)]).to.deep.equal([200, 'done x']);
        const failed = await post(kernel, 'failing', '');
        expect(failed.statusCode).to.equal(404);
        expect(JSON.parse(String(failed.body))).to.include({ errorType: 'RangeError' });
        const refused = await post(kernel, 'nobody', '');
        expect(JSON.parse(String(refused.body))).to.include({ errorType: 'FunctionNotFoundError' });
        expect(runs).to.equal(2);
        // Said once on stderr, not once per line.
        const said = stderr.written
          .join('')
          .split('\n')
          .filter((l) => l.includes('log sink threw'));
        expect(said).to.deep.equal([
          'fc-kernel: the log sink threw (log store unreachable): the lines it refuses are lost',
        ]);
      } finally {
        stderr.restore();
        await kernel.close();
      }
    });
  }
});
