import { ValidationError } from '../errors/FcError';
import { describePath, joinPath } from './eventPath';
import type { JsonPathSegment } from './scanJson';

/** A parsed object or array and where it sits in the event. */
interface Frame {
  node: object;
  key: JsonPathSegment | undefined;
  parent: Frame | undefined;
}

/**
 * Readies a parsed event for a validation engine, in place, with an explicit stack (the event
 * may be as deep as the decoder allows). Runs only when the scan of the body found something to
 * do, so a typical event is never walked here.
 *
 * - `constructor` and `__proto__` keys are dropped. class-transformer takes the class of a nested
 *   object it has no `@Type` for from the object's `constructor` property, so an own `constructor`
 *   key from JSON (`{"constructor": "x"}`) makes it throw a TypeError; on declared classes it
 *   already skips both keys, so no engine may see them.
 * - A string or property name that is not well-formed Unicode (a lone surrogate, which JSON can
 *   carry as a `\u` escape) is a validation error: validator.js's string checks (`isEmail`,
 *   `isURL`, ...) call `encodeURI`, which throws a URIError on it.
 */
export function hardenEvent(root: unknown): void {
  if (root === null || typeof root !== 'object') return;
  const pending: Frame[] = [{ node: root, key: undefined, parent: undefined }];
  const visit = (value: unknown, key: JsonPathSegment, parent: Frame) => {
    if (typeof value === 'string') {
      if (!isWellFormed(value)) throw notText(pathOf(parent, key), 'must be well-formed Unicode text');
    } else if (value !== null && typeof value === 'object') {
      pending.push({ node: value, key, parent });
    }
  };
  while (pending.length > 0) {
    const frame = pending.pop()!;
    if (Array.isArray(frame.node)) {
      const array = frame.node as unknown[];
      for (let i = 0; i < array.length; i++) visit(array[i], i, frame);
      continue;
    }
    const record = frame.node as Record<string, unknown>;
    if (Object.hasOwn(record, 'constructor')) Reflect.deleteProperty(record, 'constructor');
    if (Object.hasOwn(record, '__proto__')) delete record['__proto__'];
    for (const key of Object.keys(record)) {
      if (!isWellFormed(key)) throw notText(pathOf(frame), 'has a property name that is not well-formed Unicode text');
      visit(record[key], key, frame);
    }
  }
}

function isWellFormed(text: string): boolean {
  // String.prototype.isWellFormed: Node 20 has it, the ES2022 typings do not.
  return (text as unknown as { isWellFormed(): boolean }).isWellFormed();
}

/** The dotted path of `frame` (and `key` below it), as in validation errors: `items.0.sku`. */
function pathOf(frame: Frame, key?: JsonPathSegment): string {
  const keys: JsonPathSegment[] = key === undefined ? [] : [key];
  for (let f: Frame | undefined = frame; f?.key !== undefined; f = f.parent) keys.push(f.key);
  return joinPath(keys.reverse());
}

function notText(path: string, problem: string): ValidationError {
  return new ValidationError([
    { path, constraints: { isWellFormed: `${describePath(path)} ${problem} (it holds a lone surrogate)` } },
  ]);
}
