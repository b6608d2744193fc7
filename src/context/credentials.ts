import { headerValue, type RequestHeaders } from './headers';

/** The function role's temporary STS credentials. Empty strings when the function has no role. */
export interface FcCredentials {
  accessKeyId: string;
  accessKeySecret: string;
  securityToken: string;
}

/**
 * The environment variables that carry a role's credentials, in order of preference: FC 3.0's own
 * (`ALIBABA_CLOUD_*`), then FC 2.0 tooling's (Serverless Devs' `fc-local-invoke` sets `FC_*`).
 */
export const CREDENTIAL_VARIABLES: readonly Readonly<Record<keyof FcCredentials, string>>[] = [
  {
    accessKeyId: 'ALIBABA_CLOUD_ACCESS_KEY_ID',
    accessKeySecret: 'ALIBABA_CLOUD_ACCESS_KEY_SECRET',
    securityToken: 'ALIBABA_CLOUD_SECURITY_TOKEN',
  },
  { accessKeyId: 'FC_ACCESS_KEY_ID', accessKeySecret: 'FC_ACCESS_KEY_SECRET', securityToken: 'FC_SECURITY_TOKEN' },
];

/**
 * The credentials the environment holds, from the first set of `CREDENTIAL_VARIABLES` with an
 * access key id: `ctx.credentials` of a request that carries none.
 */
export function environmentCredentials(env: NodeJS.ProcessEnv): FcCredentials | undefined {
  for (const names of CREDENTIAL_VARIABLES) {
    const accessKeyId = env[names.accessKeyId];
    if (accessKeyId) {
      return {
        accessKeyId,
        accessKeySecret: env[names.accessKeySecret] ?? '',
        securityToken: env[names.securityToken] ?? '',
      };
    }
  }
  return undefined;
}

/** The request headers FC passes a role's credentials in (FC-CONTRACT §3). */
export const CREDENTIAL_HEADERS: Readonly<Record<keyof FcCredentials, string>> = {
  accessKeyId: 'x-fc-access-key-id',
  accessKeySecret: 'x-fc-access-key-secret',
  securityToken: 'x-fc-security-token',
};

/** The credentials a request carries in FC's headers; empty strings where it carries none. */
export function headerCredentials(headers: RequestHeaders): FcCredentials {
  return {
    accessKeyId: headerValue(headers, CREDENTIAL_HEADERS.accessKeyId),
    accessKeySecret: headerValue(headers, CREDENTIAL_HEADERS.accessKeySecret),
    securityToken: headerValue(headers, CREDENTIAL_HEADERS.securityToken),
  };
}

/** Names of credential variables: every one of `CREDENTIAL_VARIABLES`. */
const CREDENTIAL_NAMES: ReadonlySet<string> = new Set(CREDENTIAL_VARIABLES.flatMap((names) => Object.values(names)));

/**
 * Credentials in the environment, read once when a kernel is created: FC 3.0's (every
 * `ALIBABA_CLOUD_*` key, secret, token or password) and FC 2.0 tooling's (`FC_ACCESS_KEY_ID`,
 * `FC_ACCESS_KEY_SECRET`, `FC_SECURITY_TOKEN`).
 */
export function environmentSecrets(env: NodeJS.ProcessEnv = process.env): string[] {
  const out: string[] = [];
  for (const [name, value] of Object.entries(env)) {
    if (!value) continue;
    if (CREDENTIAL_NAMES.has(name) || (/^ALIBABA_CLOUD_/.test(name) && /(KEY|SECRET|TOKEN|PASSWORD)/.test(name))) {
      out.push(value);
    }
  }
  return out;
}
