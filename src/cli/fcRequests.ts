import { CREDENTIAL_HEADERS, environmentCredentials, type FcCredentials } from '../context/credentials';
import { newRequestId } from '../context/requestId';
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
    'x-fc-request-id': newRequestId(),
    'x-fc-control-path': controlPath,
    ...(settings.functionName === undefined ? {} : { 'x-fc-function-name': settings.functionName }),
    'x-fc-function-timeout': timeout,
    'x-fc-initialization-timeout': timeout,
    ...credentialHeaders(environmentCredentials(env)),
    ...settings.headers,
  };
}

/** The environment's credentials (`ALIBABA_CLOUD_*`, else `FC_*`) in FC's headers; empty without a role. */
function credentialHeaders(credentials: FcCredentials | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [field, header] of Object.entries(CREDENTIAL_HEADERS) as [keyof FcCredentials, string][]) {
    out[header] = credentials?.[field] ?? '';
  }
  return out;
}
