import type { Redact } from '../errors/errorBody';
import { secretForms } from './secretForms';
import { createSecretReplacer } from './secretMatcher';

export type { Redact };

export const REDACTED = '[redacted]';

/** Values shorter than this are too common to be told apart from ordinary text. */
const MIN_SECRET_LENGTH = 4;

const identity: Redact = (text) => text;

/** Secrets ready for `createRedactor`: distinct, long enough to redact, longest first. */
export type PreparedSecrets = readonly string[] & { readonly brand: 'PreparedSecrets' };

const longestFirst = (a: string, b: string) => b.length - a.length;

/** Prepares secrets known ahead of the requests (the environment's) once. */
export function prepareSecrets(secrets: Iterable<string>): PreparedSecrets {
  const values = [...new Set(secrets)].filter((s) => s.length >= MIN_SECRET_LENGTH);
  return values.sort(longestFirst) as unknown as PreparedSecrets;
}

const NONE = prepareSecrets([]);

/**
 * A redactor for the given secrets (empty ones ignored) and the `prepared` ones. With no secrets
 * it is the identity, so the common path costs one function call. Each is replaced wherever it
 * appears, percent-encoded or in base64 too; overlapping ones are replaced as one.
 */
export function createRedactor(secrets: Iterable<string>, prepared: PreparedSecrets = NONE): Redact {
  let values: string[] | undefined;
  for (const s of secrets) {
    if (s.length < MIN_SECRET_LENGTH || prepared.includes(s) || values?.includes(s)) continue;
    (values ??= []).push(s);
  }
  if (!values) return prepared.length === 0 ? identity : redactorOf(prepared);
  if (prepared.length > 0) values.push(...prepared);
  return redactorOf(values.sort(longestFirst));
}

/** Redacts the values and the forms client libraries encode them in (see `secretForms`). */
function redactorOf(values: readonly string[]): Redact {
  return createSecretReplacer([...new Set(values.flatMap(secretForms))], REDACTED);
}
