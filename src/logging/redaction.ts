/** Removes secret values from text that is about to leave the process. */
export type Redact = (text: string) => string;

export const REDACTED = '[redacted]';

/** Values shorter than this are too common to be told apart from ordinary text. */
const MIN_SECRET_LENGTH = 4;

const identity: Redact = (text) => text;

/**
 * A redactor for the given secrets (empty ones ignored). With no secrets it is the identity, so
 * the common path costs one function call.
 */
export function createRedactor(secrets: Iterable<string>): Redact {
  const values = [...new Set([...secrets].filter((s) => s.length >= MIN_SECRET_LENGTH))].sort(
    (a, b) => b.length - a.length,
  );
  if (values.length === 0) return identity;
  return (text) => {
    let out = text;
    for (const value of values) if (out.includes(value)) out = out.split(value).join(REDACTED);
    return out;
  };
}

/** Credentials FC puts in the environment (FC 3.0), read once when a kernel is created. */
export function environmentSecrets(env: NodeJS.ProcessEnv = process.env): string[] {
  const out: string[] = [];
  for (const [name, value] of Object.entries(env)) {
    if (value && /^ALIBABA_CLOUD_/.test(name) && /(KEY|SECRET|TOKEN|PASSWORD)/.test(name)) out.push(value);
  }
  return out;
}
