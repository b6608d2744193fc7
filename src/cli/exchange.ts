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
 * Writes the answer's body to stdout and returns the exit code: 0 when `x-fc-status` is 200, 1
 * otherwise. A text answer ends with a newline, so that what follows starts on its own line; a
 * binary one (`application/octet-stream`) is written exactly, but on a terminal. An answer
 * without `x-fc-status` is judged by its status code, with a warning: FC would record it as a
 * success whatever happened.
 */
export function answerToExitCode(answer: KernelResponse, io: CliIo): number {
  const body = typeof answer.body === 'string' ? Buffer.from(answer.body, 'utf8') : answer.body;
  if (body.length > 0) io.stdout.write(body);
  const binary = answer.headers['content-type']?.startsWith('application/octet-stream') === true;
  if ((io.stdout.isTTY || !binary) && body.length > 0 && body[body.length - 1] !== 0x0a) io.stdout.write('\n');
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
