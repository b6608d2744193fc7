import type { JsonPathSegment } from './scanJson';

/** A path into an event as validation errors write it: `items.0.sku`; the root is `''`. */
export function joinPath(segments: readonly JsonPathSegment[]): string {
  return segments.join('.');
}

/** The subject of a message about `path`: the path itself, or `event` for the root. */
export function describePath(path: string): string {
  return path === '' ? 'event' : path;
}
