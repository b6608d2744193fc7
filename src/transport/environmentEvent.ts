import { randomUUID } from 'node:crypto';
import type { RequestHeaders } from '../context/headers';
import { messageOf } from '../errors/FcError';
import type { Kernel, KernelResponse } from '../kernel/Kernel';

/** What the non-web-server mode produced: the exit code and what to write where. */
export interface EnvironmentEventOutcome {
  exitCode: 0 | 1;
  stdout: Buffer | string;
  stderr: string;
}

/**
 * FC's non-web-server mode: the event is in `FC_CUSTOM_CONTAINER_EVENT`. Initializes, invokes
 * once, runs `@OnPreStop` (the instance ends right after, so buffered work is flushed) and closes
 * the kernel. The result is for stdout, an error body for stderr.
 */
export async function runEnvironmentEvent(
  kernel: Kernel,
  event: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<EnvironmentEventOutcome> {
  const requestId = env.FC_REQUEST_ID || randomUUID();
  const headers: RequestHeaders = {
    'x-fc-request-id': requestId,
    'x-fc-function-name': env.FC_FUNCTION_NAME,
    'x-fc-function-handler': env.FC_FUNCTION_HANDLER,
    'x-fc-function-memory': env.FC_FUNCTION_MEMORY_SIZE,
    'x-fc-region': env.FC_REGION,
    'x-fc-account-id': env.FC_ACCOUNT_ID,
    'x-fc-version-id': env.FC_FUNCTION_VERSION,
  };
  let answer: KernelResponse = await kernel.dispatch({ method: 'POST', path: '/initialize', headers });
  if (answer.statusCode === 200) {
    answer = await kernel.dispatch({ method: 'POST', path: '/invoke', headers, body: Buffer.from(event, 'utf8') });
  }
  // The invocation's answer stands whatever happens while the instance winds down: a failing
  // dispose is reported on stderr, not allowed to swallow the result.
  let windDown = '';
  try {
    await kernel.preStop({ requestId });
    await kernel.close();
  } catch (error) {
    windDown = `fc-kernel: closing the kernel failed: ${messageOf(error)}`;
  }
  return answer.statusCode === 200
    ? { exitCode: 0, stdout: answer.body, stderr: windDown }
    : { exitCode: 1, stdout: '', stderr: windDown ? `${String(answer.body)}\n${windDown}` : String(answer.body) };
}
