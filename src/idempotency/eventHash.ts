import { createHash } from 'node:crypto';

/**
 * A hash of a validated event that does not depend on the order of its keys: the same event
 * delivered again hashes the same, another event under the same key does not.
 */
export function eventHash(event: unknown): string {
  const hash = createHash('sha256');
  if (event === undefined) hash.update('');
  else if (Buffer.isBuffer(event) || typeof event === 'string') hash.update(event);
  else hash.update(JSON.stringify(event, sortedKeys) ?? '');
  return hash.digest('base64url');
}

function sortedKeys(_key: string, value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) sorted[key] = (value as Record<string, unknown>)[key];
  return sorted;
}
