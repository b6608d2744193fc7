import { ConfigurationError } from '../errors/ConfigurationError';
import type { HookKind } from '../metadata/records';

/** What a request asks of the kernel: one of FC's hooks, or a readiness probe. */
export type Route = HookKind | 'health';

/** FC's own paths, which a health path must not shadow. */
const FC_PATHS = ['/invoke', '/initialize', '/pre-stop', '/pre-freeze'];

/**
 * FC's custom-container routes, and the readiness probes: `GET` or `HEAD` of `/` (Serverless
 * Devs' `s local invoke` probes it) and of `healthPath` (fc3's
 * `customContainerConfig.healthCheckConfig.httpGetUrl`). Lifecycle routes carry no body and FC's
 * documents disagree on their method, so both GET and POST are accepted there.
 */
export function routeOf(method: string, path: string, healthPath?: string): Route | undefined {
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
      return (path === '/' || path === healthPath) && (method === 'GET' || method === 'HEAD') ? 'health' : undefined;
  }
}

/** Refuses at boot a health path that could never be probed, or that would shadow one of FC's routes. */
export function checkHealthPath(healthPath: string | undefined): void {
  if (healthPath === undefined) return;
  if (typeof healthPath !== 'string' || !healthPath.startsWith('/') || /[?#\s]/.test(healthPath)) {
    throw new ConfigurationError(
      'INVALID_HEALTH_PATH',
      `healthPath must be a path starting with "/", without a query string: got ${JSON.stringify(healthPath)}`,
    );
  }
  if (FC_PATHS.includes(healthPath)) {
    throw new ConfigurationError('INVALID_HEALTH_PATH', `healthPath ${healthPath} is one of FC's own routes`);
  }
}

/** The path without its query string. */
export function pathOf(url: string): string {
  const q = url.indexOf('?');
  return q === -1 ? url : url.slice(0, q);
}
