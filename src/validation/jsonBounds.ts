import type { JsonLimits } from './scanJson';

/**
 * The longest JSON text (in bytes) that cannot go over `limits`, whatever it holds: a text that
 * `JSON.parse` accepts needs two bytes per level of nesting (`[` and `]`), two per node (one
 * for the value, one for a comma or the bracket around it: `[0,0]` is 2k + 1 bytes for k), and
 * five per member of one object (`"":0,`). A shorter text that parses is within every limit, so
 * the scan that measures it would find nothing; one that does not parse must still be scanned,
 * since the scan reports a limit met before the syntax error.
 */
export function longestBoundedText(limits: JsonLimits): number {
  return Math.min(
    2 * (limits.maxDepth + 1) - 1,
    2 * (limits.maxNodes + 1),
    2 * (limits.maxArrayElements + 1),
    5 * (limits.maxObjectKeys + 1),
  );
}

/**
 * Whether a JSON text may need `hardenEvent`: without a backslash it holds no escape (hence no
 * escaped key and no lone surrogate, which UTF-8 decoding never yields), and without
 * `__proto__` or `constructor` no such key. True whenever it may. Decoding keeps every ASCII
 * character where it was, so the text tells what its bytes would.
 */
export function mayNeedHardening(text: string): boolean {
  return text.includes('\\') || text.includes('__proto__') || text.includes('constructor');
}
