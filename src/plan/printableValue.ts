/** How deep a decorator argument is shown before it is cut to `…`. */
const MAX_DEPTH = 4;
/** How many elements or keys of one array or object are shown. */
const MAX_ITEMS = 20;

/**
 * A decorator argument (`@Min(1)`, `@IsIn(['a', 'b'])`, `@Matches(/^[A-Z]+$/)`, an options
 * object) as plain JSON, so a description prints the same in a terminal and in `--json`: a pattern
 * or a function becomes its text, `undefined` in an object is left out, and anything large or deep
 * is cut.
 */
export function printableValue(value: unknown, depth = 0): unknown {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      return Number.isFinite(value) ? value : String(value);
    case 'bigint':
      return `${value}n`;
    case 'symbol':
      return value.toString();
    case 'function':
      return value.name ? `[function ${value.name}]` : '[function]';
    case 'undefined':
      return null;
    case 'object':
      break;
  }
  if (value === null) return null;
  if (value instanceof RegExp) return String(value);
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
  if (depth >= MAX_DEPTH) return '…';
  if (Array.isArray(value)) {
    const shown = value.slice(0, MAX_ITEMS).map((item: unknown) => printableValue(item, depth + 1));
    return value.length > MAX_ITEMS ? [...shown, `… ${value.length - MAX_ITEMS} more`] : shown;
  }
  const out: Record<string, unknown> = {};
  const entries = Object.entries(value).filter(([, item]) => item !== undefined);
  for (const [key, item] of entries.slice(0, MAX_ITEMS)) out[key] = printableValue(item, depth + 1);
  if (entries.length > MAX_ITEMS) out['…'] = `${entries.length - MAX_ITEMS} more`;
  return out;
}
