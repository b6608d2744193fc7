import type { KernelResponse } from '../index';
import type { CliIo } from './CliIo';
import { initializeRequest, invokeRequest, type InvocationSettings } from './fcRequests';
import type { Send } from './httpTarget';

/**
 * One invocation as FC makes it: `POST /initialize` (unless `initialize` is false), then, if that
 * succeeded, `POST /invoke`. Resolves with the answer that ends it: a failed initialization's, or
 * the invocation's. In-process and over HTTP alike, only `send` differs.
 */
export async function exchange(
  send: Send,
  settings: InvocationSettings,
  event: Buffer,
  initialize: boolean,
): Promise<KernelResponse> {
  if (initialize) {
    const answer = await send(initializeRequest(settings));
    if (statusOf(answer) !== '200') return answer;
  }
  return send(invokeRequest(settings, event));
}

/**
 * Writes the answer's body to stdout as it is (a newline added on a terminal only, so that a
 * pipe receives the exact bytes) and returns the exit code: 0 when `x-fc-status` is 200, 1
 * otherwise. An answer without `x-fc-status` is judged by its status code, with a warning: FC
 * would record it as a success whatever happened.
 */
export function answerToExitCode(answer: KernelResponse, io: CliIo): number {
  const body = typeof answer.body === 'string' ? Buffer.from(answer.body, 'utf8') : answer.body;
  if (body.length > 0) io.stdout.write(body);
  if (io.stdout.isTTY && body.length > 0 && body[body.length - 1] !== 0x0a) io.stdout.write('\n');
  if (answer.headers['x-fc-status'] === undefined) {
    io.stderr.write(
      `fc-kernel: the answer (status ${answer.statusCode}) has no x-fc-status header: FC would record it as a success whatever happened\n`,
    );
  }
  return statusOf(answer) === '200' ? 0 : 1;
}

/** FC reads `x-fc-status`; without it, the status code is all there is. */
function statusOf(answer: KernelResponse): string {
  return answer.headers['x-fc-status'] ?? String(answer.statusCode);
}
