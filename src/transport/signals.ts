import { say } from '../logging/LogSink';
import type { ProcessShutdown } from './ProcessShutdown';

/**
 * A SIGINT this long after the shutdown began is a person pressing Ctrl-C again, and exits at
 * once (code 130). Sooner, it is the same Ctrl-C delivered twice (the terminal signals the whole
 * process group, and `npm start` forwards it to its child as well).
 */
export const FORCE_SIGINT_AFTER_MS = 3_000;

/**
 * SIGTERM or SIGINT begins the graceful shutdown. A repeated SIGTERM never cuts it short:
 * process managers signal the whole process group (`kill -TERM -<pgid>`, systemd's
 * `KillMode=control-group`, dumb-init, `tini -g`) and npm forwards the signal again, so a second
 * one is the same request; the drain deadline bounds the shutdown and SIGKILL forces it.
 * Returns a function that removes the handlers.
 */
export function shutdownOnSignals(shutdown: ProcessShutdown): () => void {
  const onSignal = (signal: NodeJS.Signals) => {
    const began = shutdown.startedAt;
    if (began === undefined) shutdown.begin();
    else if (signal === 'SIGINT' && Date.now() - began > FORCE_SIGINT_AFTER_MS) {
      say('SIGINT again, exiting now');
      process.exit(130);
    }
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  return () => {
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
  };
}
