import Ajv, { type ValidateFunction } from 'ajv';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import { createKernel, metadataStore, type Constructor } from '../../src';

/** The fc3 component's props schema, vendored from `shared/fc3/`. */
export const FC3_SCHEMA_PATH = resolve(__dirname, '../../../test/fixtures/fc3/props.schema.json');

export type Props = Record<string, unknown> & {
  functionName?: string;
  runtime?: string;
  instanceConcurrency?: number;
  customContainerConfig?: { port?: number; image?: string; healthCheckConfig?: { httpGetUrl?: string } };
  instanceLifecycleConfig?: { initializer?: { handler?: string }; preStop?: { handler?: string } };
};

export interface SYaml {
  edition: string;
  vars?: Record<string, unknown>;
  resources: Record<string, { component: string; props: Props }>;
}

export interface Fc3Schema {
  properties: Record<string, unknown> & { functionName: { pattern?: string } };
}

/** The fc3 props schema, parsed. */
export function fc3Schema(): Fc3Schema {
  return JSON.parse(readFileSync(FC3_SCHEMA_PATH, 'utf8')) as Fc3Schema;
}

let validator: ValidateFunction | undefined;

/** Validates one resource's props against the fc3 schema, compiled once. */
export function validateFc3Props(props: unknown): { valid: boolean; errors: unknown } {
  validator ??= new Ajv({ allErrors: true, strict: false }).compile(fc3Schema());
  const valid = validator(props);
  return { valid, errors: validator.errors };
}

/** Serverless Devs replaces `${vars.name}` with the top-level `vars` before the component sees props. */
function resolveVars(value: unknown, vars: Record<string, unknown>): unknown {
  if (typeof value === 'string') {
    const whole = /^\$\{vars\.([\w-]+)\}$/.exec(value);
    if (whole) return vars[whole[1]!];
    return value.replace(/\$\{vars\.([\w-]+)\}/g, (_, name: string) => String(vars[name]));
  }
  if (Array.isArray(value)) return value.map((v) => resolveVars(v, vars));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveVars(v, vars)]));
  }
  return value;
}

/** An s.yaml with its variables resolved, as the fc3 component receives its props. */
export function readSYaml(file: string): SYaml {
  const parsed = parse(readFileSync(file, 'utf8')) as SYaml;
  const resources = Object.fromEntries(
    Object.entries(parsed.resources ?? {}).map(([name, r]) => [
      name,
      { ...r, props: resolveVars(r.props, parsed.vars ?? {}) as Props },
    ]),
  );
  return { ...parsed, resources };
}

/**
 * What is wrong with an s.yaml's resources for fc3, one line each (none when it deploys): a
 * component other than fc3, props the schema refuses, a key the schema does not know (it allows
 * unknown keys, so a misplaced one, say `initializer` at the top, would pass), a variable left
 * unresolved.
 */
export function fc3ResourceProblems(sYaml: SYaml): string[] {
  const known = fc3Schema().properties;
  return Object.entries(sYaml.resources).flatMap(([name, resource]) => {
    const problems: string[] = [];
    if (resource.component !== 'fc3') problems.push(`${name}: component ${resource.component}, not fc3`);
    const { valid, errors } = validateFc3Props(resource.props);
    if (!valid) problems.push(`${name}: ${JSON.stringify(errors, null, 2)}`);
    const unknown = Object.keys(resource.props).filter((key) => !(key in known));
    if (unknown.length > 0) problems.push(`${name}: keys the schema does not know: ${unknown.join(', ')}`);
    if (JSON.stringify(resource.props).includes('${')) problems.push(`${name}: an unresolved variable`);
    return problems;
  });
}

export interface Dockerfile {
  /** Each stage's base image. */
  from: string[];
  expose: number[];
  /** The last CMD, parsed from its JSON form. */
  cmd: unknown;
  /** Every instruction, one line each, comments left out. */
  lines: string[];
}

/** The instructions of a Dockerfile that a deployment depends on. */
export function readDockerfile(file: string): Dockerfile {
  const lines = readFileSync(file, 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  const args = (instruction: string) =>
    lines
      .filter((l) => l.toUpperCase().startsWith(`${instruction} `))
      .map((l) => l.slice(instruction.length + 1).trim());
  const cmds = args('CMD');
  return {
    from: args('FROM').map((f) => f.split(/\s+/)[0]!),
    expose: args('EXPOSE').flatMap((e) => e.split(/\s+/).map((p) => Number(p.split('/')[0]))),
    cmd: cmds.length > 0 ? JSON.parse(cmds.at(-1)!) : undefined,
    lines,
  };
}

/**
 * What is wrong with how an s.yaml runs its image: each resource must be a custom container
 * whose image is a registry reference and whose port (fc3's default: 9000) the Dockerfile exposes.
 */
export function containerProblems(sYaml: SYaml, dockerfile: Dockerfile): string[] {
  return Object.entries(sYaml.resources).flatMap(([name, { props }]) => {
    const problems: string[] = [];
    if (props.runtime !== 'custom-container') problems.push(`${name}: runtime ${props.runtime}`);
    const image = props.customContainerConfig?.image;
    if (!/^\S+\/\S+:\S+$/.test(image ?? '')) problems.push(`${name}: image ${image} is not <registry>/<name>:<tag>`);
    const port = props.customContainerConfig?.port ?? 9000;
    if (!dockerfile.expose.includes(port)) problems.push(`${name}: port ${port} is not EXPOSEd`);
    return problems;
  });
}

/**
 * What is wrong with the functions an s.yaml deploys: its function names must be those `functions`
 * serve, and each must switch on FC's initializer and PreStop calls exactly when its class has the
 * hook (FC calls neither otherwise; a configured hook without one is a wasted call).
 */
export async function hookProblems(sYaml: SYaml, functions: Constructor[]): Promise<string[]> {
  const kernel = createKernel({ functions, logSink: () => undefined });
  const served = kernel.functionNames;
  await kernel.close();
  const resources = Object.values(sYaml.resources).map((r) => r.props);
  const deployed = resources.map((p) => p.functionName!);
  const problems: string[] = [];
  if (JSON.stringify([...deployed].sort()) !== JSON.stringify([...served].sort())) {
    problems.push(`deploys ${deployed.join(', ')} but serves ${served.join(', ')}`);
  }
  for (const target of functions) {
    const props = resources.find((p) => served.includes(p.functionName!));
    const kinds = new Set(metadataStore.hooksOf(target).map((h) => h.kind));
    const lifecycle = props?.instanceLifecycleConfig ?? {};
    if (Boolean(lifecycle.initializer?.handler) !== kinds.has('initialize')) {
      problems.push(`${target.name}: initializer configured ${Boolean(lifecycle.initializer?.handler)}`);
    }
    if (Boolean(lifecycle.preStop?.handler) !== kinds.has('preStop')) {
      problems.push(`${target.name}: preStop configured ${Boolean(lifecycle.preStop?.handler)}`);
    }
  }
  return problems;
}
