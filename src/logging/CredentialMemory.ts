import { createRedactor, type PreparedSecrets, type Redact } from './redaction';

/**
 * How many distinct credential sets a kernel remembers. FC renews a role's STS credentials while
 * an instance lives, so requests carry a few sets over its life; the oldest beyond this many are
 * forgotten.
 */
export const REMEMBERED_CREDENTIAL_SETS = 16;

/** One set of request credentials. */
interface RememberedSet {
  readonly accessKeyId: string;
  readonly accessKeySecret: string;
  readonly securityToken: string;
}

/**
 * The credentials a kernel has seen in requests, the most recently used first, at most
 * `REMEMBERED_CREDENTIAL_SETS` of them. Every answer and line is redacted with every remembered
 * set and the environment's secrets, not only its request's: code may hold any of them (a client
 * made before an STS rotation, pre-stop at shutdown, a rejection outside any invocation).
 */
export class CredentialMemory {
  // Private fields: inspect(kernel) must not print the credentials.
  readonly #environment: PreparedSecrets;
  readonly #sets: RememberedSet[] = [];
  #everything: Redact | undefined;

  constructor(environment: PreparedSecrets) {
    this.#environment = environment;
  }

  /**
   * The redactor for a request carrying these credentials, remembering them. The same set as the
   * previous request's (the usual case: one role, one set at a time) costs three comparisons.
   */
  redactorFor(accessKeyId: string, accessKeySecret: string, securityToken: string): Redact {
    const latest = this.#sets[0];
    const known =
      (latest !== undefined &&
        latest.accessKeyId === accessKeyId &&
        latest.accessKeySecret === accessKeySecret &&
        latest.securityToken === securityToken) ||
      (!accessKeyId && !accessKeySecret && !securityToken);
    if (!known) this.#remember({ accessKeyId, accessKeySecret, securityToken });
    return this.everything;
  }

  /** Redacts every remembered set and the environment's secrets. */
  get everything(): Redact {
    this.#everything ??= createRedactor(
      this.#sets.flatMap((set) => [set.accessKeyId, set.accessKeySecret, set.securityToken]),
      this.#environment,
    );
    return this.#everything;
  }

  #remember(credentials: RememberedSet): void {
    const index = this.#sets.findIndex(
      (set) =>
        set.accessKeyId === credentials.accessKeyId &&
        set.accessKeySecret === credentials.accessKeySecret &&
        set.securityToken === credentials.securityToken,
    );
    // Already known: only its place changes, and with it which set is forgotten first.
    if (index > 0) this.#sets.unshift(...this.#sets.splice(index, 1));
    if (index >= 0) return;
    this.#sets.unshift(credentials);
    if (this.#sets.length > REMEMBERED_CREDENTIAL_SETS) this.#sets.pop();
    this.#everything = undefined;
  }
}
