import { CREDENTIAL_HEADERS, environmentSecrets } from '../context/credentials';
import { createRedactor, prepareSecrets, type Redact } from '../logging/redaction';
import type { CliIo, OutputStream } from './CliIo';

/** The streams of a `CliIo`. */
type StreamName = 'stdout' | 'stderr';

/**
 * `io` whose `streams` redact credentials as the kernel's logs do: those of the environment (the
 * process's, which an entry reads, and `io.env`) and `secrets`. An entry's load error, or a
 * container's answer, may quote them. Bytes are redacted as Latin-1, so that an answer that is
 * not text keeps every byte that is not a credential.
 */
export function redactedIo(
  io: CliIo,
  secrets: Iterable<string> = [],
  streams: readonly StreamName[] = ['stdout', 'stderr'],
): CliIo {
  const redact = createRedactor(secrets, prepareSecrets(environmentSecrets({ ...process.env, ...io.env })));
  const stream = (name: StreamName) => (streams.includes(name) ? redacting(io[name], redact) : io[name]);
  return {
    stdout: stream('stdout'),
    stderr: stream('stderr'),
    // Read only when a command needs it: touching process.stdin opens it.
    get stdin() {
      return io.stdin;
    },
    env: io.env,
    cwd: io.cwd,
    answerGraceMs: io.answerGraceMs,
  };
}

/** The credentials among request headers (`--header`), to be redacted too. */
export function credentialHeaderValues(headers: Record<string, string>): string[] {
  return Object.values(CREDENTIAL_HEADERS).flatMap((name) => headers[name] ?? []);
}

function redacting(stream: OutputStream, redact: Redact): OutputStream {
  return {
    isTTY: stream.isTTY,
    write(chunk) {
      if (typeof chunk === 'string') return stream.write(redact(chunk));
      const text = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).toString('latin1');
      const redacted = redact(text);
      return stream.write(redacted === text ? chunk : Buffer.from(redacted, 'latin1'));
    },
  };
}
