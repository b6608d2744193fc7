import { createRedactor, type PreparedSecrets, type Redact } from './redaction';

/**
 * How many distinct credential sets a kernel remembers. FC renews a role's STS credentials while
 * an instance lives, so requests carry a few sets over its life; the oldest beyond this many are
 * forgotten.
 */
export const REMEMBERED_CREDENTIAL_SETS = 16;

/** One set of request credentials and the redactor for it (and the environment's secrets). */
interface RememberedSet {
  readonly accessKeyId: string;
  readonly accessKeySecret: string;
  readonly securityToken: string;
  readonly redact: Redact;
}

/**
 * The credentials a kernel has seen in requests, the most recently used first, at most
 * `REMEMBERED_CREDENTIAL_SETS` of them. Each request's answer and lines are redacted with its own
 * set (and the environment's secrets); what belongs to no request (pre-stop at shutdown, a
 * rejection outside any invocation) with every remembered set, since its code may hold any of
 * them.
 */
export class CredentialMemory {
  // Private fields: inspect(kernel) must not print the credentials.
  readonly #environment: PreparedSecrets;
  readonly #environmentRedact: Redact;
  readonly #sets: RememberedSet[] = [];
  #everything: Redact | undefined;

  constructor(environment: PreparedSecrets) {
    this.#environment = environment;
    this.#environmentRedact = createRedactor([], environment);
  }

  /**
   * The redactor for a request carrying these credentials, remembering them. The same set as the
   * previous request's (the usual case: one role, one set at a time) costs three comparisons.
   */
  redactorFor(accessKeyId: string, accessKeySecret: string, securityToken: string): Redact {
    const latest = this.#sets[0];
    if (
      latest !== undefined &&
      latest.accessKeyId === accessKeyId &&
      latest.accessKeySecret === accessKeySecret &&
      latest.securityToken === securityToken
    ) {
      return latest.redact;
    }
    if (!accessKeyId && !accessKeySecret && !securityToken) return this.#environmentRedact;
    return this.#remember(accessKeyId, accessKeySecret, securityToken);
  }

  /** Redacts every remembered set and the environment's secrets. */
  get everything(): Redact {
    this.#everything ??= createRedactor(
      this.#sets.flatMap((set) => [set.accessKeyId, set.accessKeySecret, set.securityToken]),
      this.#environment,
    );
    return this.#everything;
  }

  #remember(accessKeyId: string, accessKeySecret: string, securityToken: string): Redact {
    const index = this.#sets.findIndex(
      (set) =>
        set.accessKeyId === accessKeyId &&
        set.accessKeySecret === accessKeySecret &&
        set.securityToken === securityToken,
    );
    if (index > 0) {
      const [set] = this.#sets.splice(index, 1);
      this.#sets.unshift(set);
      return set.redact;
    }
    const redact = createRedactor([accessKeyId, accessKeySecret, securityToken], this.#environment);
    this.#sets.unshift({ accessKeyId, accessKeySecret, securityToken, redact });
    if (this.#sets.length > REMEMBERED_CREDENTIAL_SETS) this.#sets.pop();
    this.#everything = undefined;
    return redact;
  }
}
