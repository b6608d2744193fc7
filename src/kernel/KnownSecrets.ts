import { createRedactor, type PreparedSecrets, type Redact } from '../logging/redaction';

/** Distinct request credentials remembered; past this the oldest are forgotten. */
const CAPACITY = 1_024;

/**
 * Every credential the kernel has seen (the environment's and those of the requests so far),
 * for text that belongs to no invocation, such as an exception thrown by work outside any. The
 * set is bounded, so a caller inventing credentials cannot grow it without end.
 */
export class KnownSecrets {
  private readonly seen = new Set<string>();
  private redactor: Redact | undefined;

  constructor(private readonly environment: PreparedSecrets) {}

  /** Remembers a request's credentials. */
  remember(values: readonly string[]): void {
    for (const value of values) {
      if (value === '' || this.seen.has(value)) continue;
      this.seen.add(value);
      this.redactor = undefined;
      if (this.seen.size > CAPACITY) this.seen.delete(this.seen.values().next().value!);
    }
  }

  /** A redactor of all of them. */
  redact(text: string): string {
    this.redactor ??= createRedactor(this.seen, this.environment);
    return this.redactor(text);
  }
}
