import { validateHeaderName, validateHeaderValue } from 'node:http';
import { usageError } from './CliError';

/** Headers that describe the connection or the body: the CLI sets them, a `--header` may not. */
const RESERVED = new Set(['content-length', 'transfer-encoding', 'host', 'connection']);

/**
 * Parses `--header NAME=VALUE` options into lower-case names; a later one replaces an earlier one
 * of the same name. Messages quote the name only: a value may be a credential.
 *
 * @throws CliError (exit 2) for a malformed option, an invalid name or value, or a reserved name.
 */
export function parseHeaderOptions(options: readonly string[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const option of options) {
    const at = option.indexOf('=');
    if (at <= 0) {
      // `Name: value` is curl's form; say so without echoing the value.
      const colon = option.indexOf(':');
      const name = colon > 0 ? option.slice(0, colon).trim() : option;
      throw usageError(`--header ${JSON.stringify(colon > 0 ? `${name}: …` : name)} is not NAME=VALUE`);
    }
    const name = option.slice(0, at).trim().toLowerCase();
    const value = option.slice(at + 1);
    try {
      validateHeaderName(name);
    } catch {
      throw usageError(`--header ${JSON.stringify(name)}: not a valid HTTP header name`);
    }
    try {
      validateHeaderValue(name, value);
    } catch {
      throw usageError(`--header ${name}: the value holds characters a header cannot carry (line breaks, controls)`);
    }
    if (RESERVED.has(name)) throw usageError(`--header ${name}: fc-kernel sets this header itself`);
    headers[name] = value;
  }
  return headers;
}
