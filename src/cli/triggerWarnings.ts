import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { metadataStore } from '../metadata/MetadataStore';
import type { Constructor } from '../metadata/records';

/** What a batch handler's provider tells inspect (`fc-kernel/batch`'s `BatchDescription`). */
interface BatchPolicyOf {
  readonly policy: string;
  readonly remembers: boolean;
}

/** A batch handler of the entry: the function's name and its policy. */
export interface BatchHandlerPolicy {
  readonly functionName: string;
  readonly policy: string;
  readonly remembers: boolean;
}

/**
 * The batch handlers of `functions`, read from the interceptors their `@OnInvoke` handlers were
 * registered with (a provider of `fc-kernel/batch` says its policy): nothing of the layer is loaded
 * here.
 */
export function batchHandlersOf(functions: readonly Constructor[]): BatchHandlerPolicy[] {
  const found: BatchHandlerPolicy[] = [];
  for (const target of functions) {
    const record = metadataStore.functionOf(target);
    const invoke = metadataStore.hooksOf(target).find((hook) => hook.kind === 'invoke');
    if (!record || !invoke) continue;
    const registered = [
      ...(record.options.interceptors ?? []),
      ...metadataStore.interceptorsOf(target, undefined),
      ...metadataStore.interceptorsOf(target, invoke.method),
    ];
    for (const item of registered) {
      const batch = (item as { batch?: Partial<BatchPolicyOf> } | null)?.batch;
      if (typeof batch?.policy !== 'string') continue;
      found.push({
        functionName: record.options.name ?? target.name,
        policy: batch.policy,
        remembers: !!batch.remembers,
      });
    }
  }
  return found;
}

/** The `s.yaml` nearest the entry: beside it, beside its sources (its path without `dist/`), or above, up to `cwd`. */
export function deploymentBeside(entry: string, cwd: string): string | undefined {
  const root = resolve(cwd);
  const start = dirname(resolve(cwd, entry));
  const fromRoot = relative(root, start).split(sep);
  const sources = fromRoot[0] === 'dist' ? join(root, ...fromRoot.slice(1)) : undefined;
  for (const from of sources ? [start, sources] : [start]) {
    for (let dir = from; dir.startsWith(root); dir = dirname(dir)) {
      const file = join(dir, 's.yaml');
      if (existsSync(file)) return file;
      if (dir === root) break;
    }
  }
  return undefined;
}

interface YamlModule {
  parse(text: string): unknown;
}

type Plain = Record<string, unknown>;
const textOf = (value: unknown): string => (typeof value === 'string' ? value : JSON.stringify(value));
const objectAt = (value: unknown, key: string): Plain | undefined => {
  const inner = value !== null && typeof value === 'object' ? (value as Plain)[key] : undefined;
  return inner !== null && typeof inner === 'object' ? (inner as Plain) : undefined;
};

/**
 * What `file` (an `s.yaml`) pairs with the entry's batch handlers that contradicts them: a
 * trigger's dead-letter queue without `errorsTolerance: ALL` (FC then ignores the queue), and
 * `errorsTolerance: NONE` (the trigger's default) before a handler whose policy fails the
 * invocation on a record that always fails (the stream then blocks once the trigger's tries run out).
 */
export function triggerWarnings(file: string, handlers: readonly BatchHandlerPolicy[], cwd: string): string[] {
  const where = relative(cwd, file) || file;
  let yaml: YamlModule;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    yaml = require('yaml') as YamlModule;
  } catch {
    return [
      `${where}: its triggers were not checked against the batch policies: the yaml package is not installed (npm install --save-dev yaml)`,
    ];
  }
  let document: unknown;
  try {
    document = yaml.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    return [`${where}: not read as YAML (${(error as Error).message.split('\n')[0]}): its triggers were not checked`];
  }
  const warnings: string[] = [];
  for (const [resourceName, resource] of Object.entries(objectAt(document, 'resources') ?? {})) {
    const props = objectAt(resource, 'props');
    const functionName = props?.functionName;
    const triggers = props?.triggers;
    if (!Array.isArray(triggers)) continue;
    for (const trigger of triggers as unknown[]) {
      const runOptions = objectAt(objectAt(trigger, 'triggerConfig'), 'runOptions');
      if (!runOptions) continue;
      const name = `${where}: resource ${resourceName}, trigger ${textOf((trigger as Plain).triggerName ?? '?')}`;
      const tolerance = textOf(runOptions.errorsTolerance ?? 'NONE');
      if (runOptions.deadLetterQueue !== undefined && tolerance !== 'ALL') {
        warnings.push(
          `${name}: has a deadLetterQueue but errorsTolerance ${tolerance}: FC sends a batch to the dead-letter queue only with errorsTolerance: ALL`,
        );
      }
      if (tolerance !== 'NONE') continue;
      for (const handler of handlers) {
        if (handler.functionName !== functionName || handler.policy === 'dead-letter') continue;
        warnings.push(
          `${name}: errorsTolerance NONE${runOptions.errorsTolerance === undefined ? ' (the default)' : ''} before ` +
            `${handler.functionName}, whose batch policy is ${handler.policy}: one record that always fails blocks the stream ` +
            `once the trigger's tries run out${handler.remembers ? '' : ', and every push applies the good records again (remember: false)'}; ` +
            "set errorsTolerance: ALL with a deadLetterQueue, or policy: 'dead-letter'",
        );
      }
    }
  }
  return warnings;
}
