import { formatWithOptions, inspect, type InspectOptions } from 'node:util';
import { messageOf } from '../errors/FcError';

/**
 * util.format's options, but with no limit on string length: inspect cuts a long string at
 * 10,000 characters, which could cut a secret in half where redaction no longer recognises it.
 * The logger bounds the whole line instead, after redacting it.
 */
const OPTIONS: InspectOptions = { maxStringLength: Infinity };

/**
 * Formats log arguments as `console.log` does, and never throws: a value whose inspection throws
 * (a throwing `util.inspect.custom` or `stack` getter, a hostile Proxy) is shown by a fallback
 * text, the others as usual.
 */
export function formatArguments(args: readonly unknown[]): string {
  try {
    return formatWithOptions(OPTIONS, ...args);
  } catch {
    return args.map(formatOne).join(' ');
  }
}

function formatOne(value: unknown): string {
  if (typeof value === 'string') return value;
  try {
    return inspect(value, OPTIONS);
  } catch {
    return `[unprintable ${typeof value}: ${messageOf(value)}]`;
  }
}
