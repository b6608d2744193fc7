import type { Kernel } from '../kernel/Kernel';
import { say } from '../logging/LogSink';

/** Runs a process-level log call that must not throw, whatever the value it prints does. */
function logSafely(log: () => void, what: string): void {
  try {
    log();
  } catch {
    // The details stay unprinted: they are what failed, and they may hold a secret.
    say(`${what} could not be logged`);
  }
}

/**
 * Logs every promise rejection nobody handled and keeps serving: one handler's forgotten
 * background promise must not take the instance, and every invocation in flight, down (Node's
 * default ends the process). Returns a function that removes the handler.
 */
export function logUnhandledRejections(kernel: Kernel): () => void {
  const onRejection = (reason: unknown) =>
    logSafely(() => kernel.logUnhandledRejection(reason), 'an unhandled promise rejection');
  process.on('unhandledRejection', onRejection);
  return () => process.off('unhandledRejection', onRejection);
}

/**
 * An exception nobody caught (a throw in a timer a handler started, an `'error'` event without a
 * listener) leaves the process in a state nobody planned for, so the instance does not go on
 * serving; but the requests in flight are not thrown away with it either. It is logged, redacted,
 * and `stop` is called: the caller drains, runs `@OnPreStop` and exits non-zero. Returns a
 * function that removes the handler.
 */
export function stopOnUncaughtExceptions(kernel: Kernel, stop: () => void): () => void {
  const onException = (error: unknown) => {
    logSafely(() => kernel.logUncaughtException(error), 'an uncaught exception');
    try {
      stop();
    } catch {
      say('the shutdown after an uncaught exception could not start');
      process.exit(1);
    }
  };
  process.on('uncaughtException', onException);
  return () => process.off('uncaughtException', onException);
}
