import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { PROJECT_ROOT } from './helpers';

/** The samples, one directory each. */
export const SAMPLES_DIR = join(PROJECT_ROOT, 'samples');

/** One trigger of a function, as fc3 takes it. */
export interface Trigger {
  triggerName: string;
  triggerType: string;
  triggerConfig: Record<string, unknown>;
  [key: string]: unknown;
}

/** The `props` of an fc3 resource, as far as these tests read them. */
export type Props = Record<string, unknown> & {
  functionName?: string;
  runtime?: string;
  instanceConcurrency?: number;
  environmentVariables?: Record<string, string>;
  customContainerConfig?: {
    port?: number;
    image?: string;
    healthCheckConfig?: Record<string, number | string>;
  };
  instanceLifecycleConfig?: { initializer?: { handler?: string }; preStop?: { handler?: string } };
  triggers?: Trigger[];
};

export interface SYaml {
  edition: string;
  vars?: Record<string, unknown>;
  resources: Record<string, { component: string; props: Props }>;
}

/** What `s config add` stores and `${config('…')}` reads: stand-ins, as no account is configured here. */
const CONFIG: Record<string, string> = { AccountID: '1234567890123456' };

/**
 * Serverless Devs replaces `${vars.name}` with the top-level `vars`, and `${config('AccountID')}`
 * with the configured account's, before the component sees props. Anything else stays as written,
 * so a test can tell an unresolved variable.
 */
function resolveVariables(value: unknown, vars: Record<string, unknown>): unknown {
  if (typeof value === 'string') {
    const whole = /^\$\{vars\.([\w-]+)\}$/.exec(value);
    if (whole) return vars[whole[1]!];
    return value
      .replace(/\$\{vars\.([\w-]+)\}/g, (_, name: string) => String(vars[name]))
      .replace(/\$\{config\((['"])(\w+)\1\)\}/g, (match, _quote: string, key: string) => CONFIG[key] ?? match);
  }
  if (Array.isArray(value)) return value.map((v) => resolveVariables(v, vars));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveVariables(v, vars)]));
  }
  return value;
}

/** A sample's s.yaml, its variables resolved as Serverless Devs resolves them. */
export function readSYaml(sample: string): SYaml {
  const parsed = parse(readFileSync(join(SAMPLES_DIR, sample, 's.yaml'), 'utf8')) as SYaml;
  const resources = Object.fromEntries(
    Object.entries(parsed.resources ?? {}).map(([name, r]) => [
      name,
      { ...r, props: resolveVariables(r.props, parsed.vars ?? {}) as Props },
    ]),
  );
  return { ...parsed, resources };
}

/** The props of the sample's resource that deploys `functionName`. */
export function propsOf(sample: string, functionName: string): Props {
  const props = Object.values(readSYaml(sample).resources)
    .map((r) => r.props)
    .find((p) => p.functionName === functionName);
  if (!props) throw new Error(`samples/${sample}/s.yaml deploys no function named ${functionName}`);
  return props;
}
