import type { HookKind } from '../metadata/records';

/**
 * FC's custom-container routes. Lifecycle routes carry no body and FC's documents disagree on
 * their method, so both GET and POST are accepted there.
 */
export function routeOf(method: string, path: string): HookKind | undefined {
  switch (path) {
    case '/invoke':
      return method === 'POST' ? 'invoke' : undefined;
    case '/initialize':
      return method === 'POST' ? 'initialize' : undefined;
    case '/pre-stop':
      return method === 'GET' || method === 'POST' ? 'preStop' : undefined;
    case '/pre-freeze':
      return method === 'GET' || method === 'POST' ? 'preFreeze' : undefined;
    default:
      return undefined;
  }
}

/** The path without its query string. */
export function pathOf(url: string): string {
  const q = url.indexOf('?');
  return q === -1 ? url : url.slice(0, q);
}
