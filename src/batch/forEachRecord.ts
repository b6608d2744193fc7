import { ConfigurationError, type ConfigurationWhere } from '../errors/ConfigurationError';
import type { InterceptorProvider, InterceptorSetup } from '../kernel/KernelOptions';
import { environmentSecrets } from '../context/credentials';
import { prepareSecrets } from '../logging/redaction';
import { metadataStore } from '../metadata/MetadataStore';
import { DEFAULT_EVENT_VALIDATOR } from '../validation/defaultEngine';
import { resolveValidationOptions } from '../validation/options';
import { isDeadLetterSink, type DeadLetterSink } from './DeadLetter';
import { compileBatchDecoder, type BatchSource } from './decodeRecords';
import type { BatchOptions, BatchPolicy } from './options';
import { RecordMemory } from './RecordMemory';
import { recordSourceOf } from './recordSources';
import { arrayEventOf } from '../validation/arrayEvent';
import type { Constructor } from '../metadata/records';
import type { IdempotencyConfig } from '../idempotency/options';
import { runBatch, type BatchPlan } from './runBatch';

const POLICIES: readonly BatchPolicy[] = ['fail-batch', 'dead-letter', 'stop-at-first-failure'];
const DEFAULT_ATTEMPTS = 3;
const DEFAULT_MARGIN_MS = 1000;
const DEFAULT_REMEMBER_SECONDS = 2 * 24 * 3600;
const DEFAULT_CLAIM_SECONDS = 60;

/** How `fc-kernel inspect` shows a batch handler. */
export interface BatchDescription {
  readonly source: string;
  readonly policy: BatchPolicy;
  readonly ordered: boolean;
  readonly concurrency: number;
  /** Whether done records are remembered, so that a redelivered batch skips them. */
  readonly remembers: boolean;
}

/** A batch handler's provider: what `@OnRecord` registers, and what inspect reads. */
export interface BatchProvider extends InterceptorProvider {
  readonly name: string;
  readonly batch: BatchDescription;
}

/**
 * Runs an `@OnInvoke` handler once per record of the batch FC delivers, by a failure policy: the
 * plain-function form of `@OnRecord`, for `@UseInterceptors` on a handler that takes FC's body as
 * bytes (`@OnInvoke({ event: Buffer })`). Each call gets a `BatchRecord`; the invocation answers a
 * `BatchReport`, or fails with `BatchFailedError` when records are left for the redelivery.
 *
 * @example
 * ```ts
 * @FcFunction({ name: 'ingest' })
 * class Ingest {
 *   @OnInvoke({ event: Buffer })
 *   @UseInterceptors(forEachRecord(KafkaEventBatch, { body: OrderPlaced }))
 *   async apply(record: BatchRecord<OrderPlaced>) { ... }
 * }
 * ```
 */
export function forEachRecord(source: BatchSource, options: BatchOptions = {}): BatchProvider {
  const policy = options.policy ?? 'fail-batch';
  const ordered = options.ordered ?? (policy === 'stop-at-first-failure' || isOrderedByDefault(source));
  const concurrency = options.concurrency ?? 1;
  const remembers = options.remember ?? true;
  return {
    // How `fc-kernel inspect` lists it: the policy and how records run.
    name:
      `batch: ${policy} over ${nameOf(source)}${ordered ? ', ordered by partition' : ''}, ` +
      `${concurrency} at a time, ${remembers ? 'records remembered' : 'not remembered'}`,
    batch: { source: nameOf(source), policy, ordered, concurrency, remembers },
    forHandler: (setup) => {
      const plan = compileBatchPlan(setup, source, { ...options, policy, ordered, concurrency, remember: remembers });
      return (invocation, next) => runBatch(plan, invocation, next);
    },
  };
}

function compileBatchPlan(setup: InterceptorSetup, source: BatchSource, options: BatchOptions): BatchPlan {
  const where: ConfigurationWhere = { className: setup.functionClass.name, method: setup.method };
  const at = `${where.className}.${where.method}`;
  const policy = options.policy!;
  if (!POLICIES.includes(policy)) {
    throw invalid(
      where,
      `policy is 'fail-batch', 'dead-letter' or 'stop-at-first-failure': got ${JSON.stringify(policy)}`,
    );
  }
  const attempts =
    policy === 'dead-letter' ? wholeAtLeastOne(where, 'attempts', options.attempts ?? DEFAULT_ATTEMPTS) : 1;
  const concurrency = wholeAtLeastOne(where, 'concurrency', options.concurrency!);
  const marginMs = options.deadlineMarginMs ?? DEFAULT_MARGIN_MS;
  if (!(typeof marginMs === 'number' && marginMs >= 0)) {
    throw invalid(where, `deadlineMarginMs is a number of milliseconds, 0 or more: got ${String(marginMs)}`);
  }
  let sink: DeadLetterSink | undefined;
  if (policy === 'dead-letter') {
    const given = options.deadLetters ?? setup.options.batch?.deadLetters;
    if (!isDeadLetterSink(given)) {
      throw new ConfigurationError(
        'LAYER_NOT_CONFIGURED',
        `${at} dead-letters failed records, but has no dead-letter sink: pass its deadLetters option, or createKernel / serve ` +
          '`batch: { deadLetters }` (a RedisDeadLetterSink, or a function of the dead letters)',
        where,
      );
    }
    sink = given;
  }
  const functionOptions = (setup.options.metadata ?? metadataStore).functionOf(setup.functionClass)?.options;
  const validation = resolveValidationOptions(setup.options.validation, functionOptions?.validation);
  const validator = setup.options.validation?.validator ?? DEFAULT_EVENT_VALIDATOR;
  return {
    functionName: setup.functionName,
    decoder: compileBatchDecoder(source, options.body, validator, validation, at),
    policy,
    sink,
    attempts,
    concurrency,
    ordered: options.ordered!,
    marginMs,
    memory: options.remember ? memoryOf(setup, options, where) : undefined,
    environmentSecrets: prepareSecrets(environmentSecrets(setup.options.env ?? process.env)),
  };
}

function memoryOf(setup: InterceptorSetup, options: BatchOptions, where: ConfigurationWhere): RecordMemory {
  const config = (setup.options as { idempotency?: IdempotencyConfig }).idempotency;
  const store = config?.store;
  if (
    typeof store?.claim !== 'function' ||
    typeof store.complete !== 'function' ||
    typeof store.release !== 'function'
  ) {
    throw new ConfigurationError(
      'LAYER_NOT_CONFIGURED',
      `${where.className}.${where.method} remembers the records it has done, so that a redelivered batch skips them, ` +
        'but the kernel has no idempotency store: pass createKernel / serve `idempotency: { store }` (a RedisIdempotencyStore), ' +
        'or `remember: false` if the handler is idempotent on its own',
      where,
    );
  }
  const rememberSeconds = options.rememberSeconds ?? DEFAULT_REMEMBER_SECONDS;
  if (!(typeof rememberSeconds === 'number' && rememberSeconds > 0)) {
    throw invalid(where, `rememberSeconds is a number of seconds, more than 0: got ${String(rememberSeconds)}`);
  }
  const claimSeconds = config?.claimSecondsWithoutTimeout ?? DEFAULT_CLAIM_SECONDS;
  return new RecordMemory(store, setup.functionName, rememberSeconds * 1000, claimSeconds * 1000);
}

/** Whether the source's records keep their order within a partition (Kafka's). */
function isOrderedByDefault(source: BatchSource): boolean {
  try {
    return source !== Array && recordSourceOf(arrayEventOf(source as Constructor)?.element).ordered;
  } catch {
    // Not an array event: compiling the handler says so, naming it.
    return false;
  }
}

function nameOf(source: BatchSource): string {
  if (Array.isArray(source))
    return `[${(source as readonly unknown[]).map((t) => (typeof t === 'function' ? t.name : typeof t)).join(', ')}]`;
  return typeof source === 'function' ? source.name : String(source);
}

function wholeAtLeastOne(where: ConfigurationWhere, name: string, value: unknown): number {
  if (typeof value === 'number' && Number.isInteger(value) && value >= 1) return value;
  throw invalid(where, `${name} is a whole number, 1 or more: got ${String(value)}`);
}

function invalid(where: ConfigurationWhere, problem: string): ConfigurationError {
  return new ConfigurationError(
    'INVALID_LAYER_OPTION',
    `batch handler ${where.className}.${where.method}: ${problem}`,
    where,
  );
}
