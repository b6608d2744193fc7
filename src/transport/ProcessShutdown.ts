import { say } from '../logging/LogSink';
import { messageOf } from '../errors/FcError';
import type { FcHttpServer, ShutdownOutcome } from './httpServer';

/**
 * The end of a process `serve()` owns: one graceful shutdown of its server however often it is
 * asked for (a signal repeated, a fault during the drain), then `process.exit` with `0` when
 * nothing was lost and `1` when a request went unanswered, a pre-stop hook failed or timed out,
 * the shutdown itself failed, or a fault started it.
 */
export class ProcessShutdown {
  private began: number | undefined;
  private failed = false;

  constructor(
    private readonly server: FcHttpServer,
    private readonly exit: (code: number) => void = (code) => process.exit(code),
  ) {}

  /** When the shutdown began (epoch ms), or `undefined` before. */
  get startedAt(): number | undefined {
    return this.began;
  }

  /**
   * Starts the shutdown, once. A `fault` (what started it, when that was not an ordinary stop
   * request) is said on stderr and makes the exit code non-zero whatever the drain achieves.
   */
  begin(fault?: string): void {
    if (fault !== undefined) {
      this.failed = true;
      say(`${fault}: shutting down`);
    }
    if (this.began !== undefined) return;
    this.began = Date.now();
    this.server.close().then(
      (outcome) => {
        const problems = describe(outcome);
        if (problems) say(`shutdown incomplete: ${problems}`);
        this.exit(problems || this.failed ? 1 : 0);
      },
      (error: unknown) => {
        say(`shutdown failed: ${messageOf(error)}`);
        this.exit(1);
      },
    );
  }
}

function describe(outcome: ShutdownOutcome): string {
  const problems: string[] = [];
  if (outcome.lost > 0) problems.push(`${outcome.lost} request(s) unanswered`);
  for (const name of outcome.preStopFailed) problems.push(`@OnPreStop of "${name}" failed or timed out`);
  return problems.join('; ');
}
