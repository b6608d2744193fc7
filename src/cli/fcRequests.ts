import { randomBytes } from 'node:crypto';
import type { KernelRequest } from '../index';

/** What FC would put in the requests of one invocation. */
export interface InvocationSettings {
  /** `x-fc-function-name`; omitted when unknown (`--url` without `--function`). */
  functionName?: string;
  /** Sent as both `x-fc-function-timeout` and `x-fc-initialization-timeout`. */
  timeoutSeconds: number;
  /** `--header` options, applied last: they override what the CLI would send. */
  headers: Record<string, string>;
  /** `ALIBABA_CLOUD_*` credentials are read from here, as FC passes the function role's. */
  env: NodeJS.ProcessEnv;
}

/** FC's `POST /initialize`: no body. */
export function initializeRequest(settings: InvocationSettings): KernelRequest {
  return { method: 'POST', path: '/initialize', headers: fcHeaders(settings, '/initialize') };
}

/** FC's `POST /invoke`: the event's raw bytes as `application/octet-stream`. */
export function invokeRequest(settings: InvocationSettings, event: Buffer): KernelRequest {
  return {
    method: 'POST',
    path: '/invoke',
    headers: { 'content-type': 'application/octet-stream', ...fcHeaders(settings, '/invoke') },
    body: event,
  };
}

/** FC-CONTRACT §3: each request gets its own id; the credentials are empty when there is no role. */
function fcHeaders(settings: InvocationSettings, controlPath: string): Record<string, string> {
  const { env } = settings;
  const timeout = String(settings.timeoutSeconds);
  return {
    'x-fc-request-id': requestId(),
    'x-fc-control-path': controlPath,
    ...(settings.functionName === undefined ? {} : { 'x-fc-function-name': settings.functionName }),
    'x-fc-function-timeout': timeout,
    'x-fc-initialization-timeout': timeout,
    'x-fc-access-key-id': env.ALIBABA_CLOUD_ACCESS_KEY_ID ?? '',
    'x-fc-access-key-secret': env.ALIBABA_CLOUD_ACCESS_KEY_SECRET ?? '',
    'x-fc-security-token': env.ALIBABA_CLOUD_SECURITY_TOKEN ?? '',
    ...settings.headers,
  };
}

/** A request id in FC 3.0's form, `1-<seconds, hex>-<8 hex>-<12 hex>`. */
function requestId(): string {
  const seconds = Math.floor(Date.now() / 1000).toString(16);
  return `1-${seconds}-${randomBytes(4).toString('hex')}-${randomBytes(6).toString('hex')}`;
}
