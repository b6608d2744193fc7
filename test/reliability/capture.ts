/*
 * What the reliability suite saw. Every log line, response, inspected object, thrown message and
 * child-process output any test produces is recorded here, and the root hook (rootHooks.ts) scans
 * all of it once for the planted credentials after the last test. The tallies feed the summary.
 */
import type { LogSink } from '../../src';

/**
 * Credentials no output may ever contain: FC's headers (and the set an STS rotation brings),
 * FC 3.0's environment variables and FC 2.0 tooling's.
 */
export const PLANTED = {
  accessKeyId: 'LTAI5tPlantedHeaderKeyId9q',
  accessKeySecret: 'plantedHeaderSecret-Zm9vYmFyYmF6cXV4',
  securityToken: 'CAIS-planted-header-sts-token+8fK2/Qw7LrV1pN0aXb3cD4eF5gH6iJ7kL8mN9oP=',
  rotatedAccessKeyId: 'STS.PlantedRotatedKeyId7w',
  rotatedAccessKeySecret: 'plantedRotatedSecret-b3RhdGVkc2VjcmV0',
  rotatedSecurityToken: 'CAIS-planted-rotated-sts-token+5tY7/Ui9OpA1sD3fG5hJ7kL9zX2cV4bN=',
  envAccessKeyId: 'LTAI5tPlantedEnvKeyId4r',
  envAccessKeySecret: 'plantedEnvSecret-cXV1eHF1dXV4enp6',
  envSecurityToken: 'CAIS-planted-env-sts-token+2hJ8/Lm4NbV6cX1zQ9wE3rT5yU7iO0pA=',
  fcEnvAccessKeyId: 'LTAI5tPlantedFcEnvKeyId2x',
  fcEnvAccessKeySecret: 'plantedFcEnvSecret-ZmMyZW52c2VjcmV0',
  fcEnvSecurityToken: 'CAIS-planted-fc-env-sts-token+9qW1/Er3TyU5iO7pA9sD1fG3hJ5kL7zX=',
} as const;

/** FC's credential headers, carrying the planted values. */
export const PLANTED_HEADERS: Record<string, string> = {
  'x-fc-access-key-id': PLANTED.accessKeyId,
  'x-fc-access-key-secret': PLANTED.accessKeySecret,
  'x-fc-security-token': PLANTED.securityToken,
};

/** The credential headers after an STS rotation: another set, as a later request carries it. */
export const PLANTED_ROTATED_HEADERS: Record<string, string> = {
  'x-fc-access-key-id': PLANTED.rotatedAccessKeyId,
  'x-fc-access-key-secret': PLANTED.rotatedAccessKeySecret,
  'x-fc-security-token': PLANTED.rotatedSecurityToken,
};

/** FC 3.0's credential variables, carrying the planted values. */
export const PLANTED_ENV: Record<string, string> = {
  ALIBABA_CLOUD_ACCESS_KEY_ID: PLANTED.envAccessKeyId,
  ALIBABA_CLOUD_ACCESS_KEY_SECRET: PLANTED.envAccessKeySecret,
  ALIBABA_CLOUD_SECURITY_TOKEN: PLANTED.envSecurityToken,
};

/** FC 2.0 tooling's credential variables (Serverless Devs' fc-local-invoke), carrying the planted values. */
export const PLANTED_FC_ENV: Record<string, string> = {
  FC_ACCESS_KEY_ID: PLANTED.fcEnvAccessKeyId,
  FC_ACCESS_KEY_SECRET: PLANTED.fcEnvAccessKeySecret,
  FC_SECURITY_TOKEN: PLANTED.fcEnvSecurityToken,
};

/**
 * A value as client libraries encode it: percent-encoded (a signed URL), and in base64 at each of
 * the three offsets it may sit at inside a longer encoded text (`id:secret` of a Basic header),
 * the characters it shares with its neighbours left out.
 */
function encodedForms(value: string): string[] {
  const forms = [encodeURIComponent(value)];
  for (const offset of [0, 1, 2]) {
    const encoded = Buffer.concat([Buffer.alloc(offset), Buffer.from(value)]).toString('base64');
    // Whole groups of three bytes only: the first starting at or after the value.
    const first = Math.ceil(offset / 3) * 4;
    const last = Math.floor((offset + value.length) / 3) * 4;
    forms.push(encoded.slice(first, last));
  }
  return forms;
}

/**
 * What counts as a leak: a whole planted value, or its first or last 12 characters (a message cut
 * or wrapped in the middle of a secret still leaks it), or an encoded form of it.
 */
const NEEDLES: string[] = Object.values(PLANTED).flatMap((value) => [
  value,
  value.slice(0, 12),
  value.slice(-12),
  ...encodedForms(value),
]);

/** The texts of one source (a kernel's log, a server's responses, a child's stdout). */
interface Capture {
  source: string;
  texts: string[];
}

const captures: Capture[] = [];
/** Leaks found by child processes, which scan their own output rather than ship all of it. */
const reportedLeaks: string[] = [];

/** Counters for the summary line. */
export const tally = {
  inputsTried: 0,
  faultsInjected: 0,
  faultsSurvived: 0,
  requestsSent: 0,
  requestsLost: 0,
};

/** Records texts under `source` for the final scan. */
export function capture(source: string, ...texts: unknown[]): void {
  let entry = captures.at(-1);
  if (entry?.source !== source) {
    entry = { source, texts: [] };
    captures.push(entry);
  }
  for (const text of texts) entry.texts.push(typeof text === 'string' ? text : String(text));
}

/** A kernel log sink that records every line (and keeps them for the test, if it passes `into`). */
export function captureSink(source: string, into?: string[]): LogSink {
  return (line) => {
    capture(source, line);
    into?.push(line);
  };
}

/** Whether `text` contains a planted credential (or a recognisable part of one). */
export function containsPlanted(text: string): boolean {
  for (const needle of NEEDLES) if (text.includes(needle)) return true;
  return false;
}

/** Leaks a child process found in its own output. */
export function reportLeaks(source: string, lines: string[]): void {
  for (const line of lines) reportedLeaks.push(`${source}: ${line}`);
}

/** Every captured text that contains a planted credential, with its source. */
export function scanForLeaks(): string[] {
  const found = [...reportedLeaks];
  for (const { source, texts } of captures) {
    for (const text of texts) if (containsPlanted(text)) found.push(`${source}: ${text.slice(0, 300)}`);
  }
  return found;
}

/** How many texts were captured (to show the scan looked at something). */
export function capturedCount(): number {
  let n = 0;
  for (const c of captures) n += c.texts.length;
  return n;
}

/**
 * Tees the test process's own stdout and stderr into the capture, so that whatever the framework
 * prints outside a log sink (warnings, write failures) is scanned too.
 */
export function captureProcessOutput(): void {
  for (const [name, stream] of [
    ['process stdout', process.stdout],
    ['process stderr', process.stderr],
  ] as const) {
    const write = stream.write.bind(stream) as (...args: unknown[]) => boolean;
    stream.write = ((chunk: unknown, ...rest: unknown[]) => {
      capture(name, Buffer.isBuffer(chunk) ? chunk.toString('utf8') : String(chunk));
      return write(chunk, ...rest);
    }) as typeof stream.write;
  }
}
