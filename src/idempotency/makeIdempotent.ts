import { randomUUID } from 'node:crypto';
import type { FcContext } from '../context/FcContext';
import { ConfigurationError } from '../errors/ConfigurationError';
import { messageOf } from '../errors/FcError';
import { DEFAULT_BODY_LIMIT } from '../kernel/Kernel';
import { IdempotencyInProgressError, IdempotencyKeyMismatchError, IdempotencyStoreError } from './errors';
import { eventHash } from './eventHash';
import { compileKeyReader, type KeyReader } from './idempotencyKey';
import type { CompletedRecord, IdempotencyRecord, IdempotencyStore, InProgressRecord } from './IdempotencyStore';
import type { IdempotentOptions, WhenStoreFails } from './options';
import { EncodedAnswer, encodeAnswer } from '../kernel/encodeResult';
import type { Invocation, InterceptorFunction } from '../kernel/interceptor';
import type { InterceptorProvider, InterceptorSetup } from '../kernel/KernelOptions';
import { annotateInvocation } from '../kernel/annotateInvocation';

const DEFAULT_TTL_SECONDS = 3600;
const DEFAULT_CLAIM_SECONDS = 60;

/** One handler's settings, decided at boot. */
interface Guard {
  store: IdempotencyStore;
  functionName: string;
  readKey: KeyReader;
  ttlMs: number;
  claimMsWithoutTimeout: number;
  whenStoreFails: WhenStoreFails;
  /** The largest answer stored: the kernel's body limit. */
  maxAnswerBytes: number;
}

/**
 * Makes handlers idempotent: the first delivery of an event runs the handler and stores its
 * answer; a duplicate gets that answer again, byte for byte, without running it, on any instance
 * sharing the store. The plain-function form of `@Idempotent`, for `@UseInterceptors`,
 * `@FcFunction({ interceptors })` or the kernel's `interceptors` (every handler). The store is
 * the kernel's `idempotency` option.
 *
 * @example
 * ```ts
 * @FcFunction({ name: 'create-order', interceptors: [makeIdempotent({ key: 'orderId' })] })
 * class CreateOrderFunction {
 *   @OnInvoke() async create(@Event() order: CreateOrder) { ... }
 * }
 * serve({ functions: [CreateOrderFunction], idempotency: { store: new RedisIdempotencyStore({ url }) } });
 * ```
 */
export function makeIdempotent<TEvent = never>(options: IdempotentOptions<TEvent> = {}): InterceptorProvider {
  return {
    forHandler: (setup) => idempotencyInterceptor(compileGuard(setup, options)),
    // How `fc-kernel inspect` lists it.
    name: 'idempotency',
  } as InterceptorProvider;
}

function compileGuard(setup: InterceptorSetup, options: IdempotentOptions): Guard {
  const where = { className: setup.functionClass.name, method: setup.method };
  const config = setup.options.idempotency;
  if (!isStore(config?.store)) {
    throw new ConfigurationError(
      'LAYER_NOT_CONFIGURED',
      `${where.className}.${where.method} is idempotent, but the kernel has no idempotency store: ` +
        'pass createKernel / serve `idempotency: { store }` (a RedisIdempotencyStore or a MemoryIdempotencyStore)',
      where,
    );
  }
  const setting = <K extends 'ttlSeconds' | 'claimSecondsWithoutTimeout' | 'whenStoreFails'>(name: K) =>
    options[name] ?? config[name];
  const whenStoreFails = setting('whenStoreFails') ?? 'refuse';
  if (whenStoreFails !== 'refuse' && whenStoreFails !== 'run') {
    throw invalidOption(where, `whenStoreFails is 'refuse' or 'run': got ${JSON.stringify(whenStoreFails)}`);
  }
  return {
    store: config.store,
    functionName: setup.functionName,
    readKey: compileKeyReader(options.key, where),
    ttlMs: positiveSeconds(where, 'ttlSeconds', setting('ttlSeconds') ?? DEFAULT_TTL_SECONDS) * 1000,
    claimMsWithoutTimeout:
      positiveSeconds(
        where,
        'claimSecondsWithoutTimeout',
        setting('claimSecondsWithoutTimeout') ?? DEFAULT_CLAIM_SECONDS,
      ) * 1000,
    whenStoreFails,
    maxAnswerBytes: setup.options.bodyLimit ?? DEFAULT_BODY_LIMIT,
  };
}

function idempotencyInterceptor(guard: Guard): InterceptorFunction {
  return async function idempotent(invocation: Invocation, next) {
    const ctx = invocation.context;
    // Namespaced by function: two functions sharing a store and a key never see each other's.
    const key = `${guard.functionName}:${guard.readKey(invocation.event, ctx)}`;
    const claim: InProgressRecord = {
      status: 'in-progress',
      eventHash: eventHash(invocation.event),
      requestId: ctx.requestId,
      owner: randomUUID(),
      expiresAt: Number.isFinite(ctx.deadline) ? ctx.deadline : Date.now() + guard.claimMsWithoutTimeout,
    };
    let found: IdempotencyRecord | undefined;
    try {
      found = await guard.store.claim(key, claim);
    } catch (error) {
      if (guard.whenStoreFails === 'refuse') throw new IdempotencyStoreError(error);
      ctx.logger.warn(`idempotency: the store failed (${messageOf(error)}): running the handler unguarded`);
      return next();
    }
    if (found) return answerDuplicate(key, claim, found, ctx);

    let answer: EncodedAnswer;
    try {
      answer = encodeAnswer(await next());
    } catch (error) {
      await release(guard, key, claim, ctx);
      throw error;
    }
    await store(guard, key, claim, answer, ctx);
    return answer;
  };
}

/** A second delivery: refused while the first runs or when its event differs, else replayed. */
function answerDuplicate(
  key: string,
  claim: InProgressRecord,
  found: IdempotencyRecord,
  ctx: FcContext,
): EncodedAnswer {
  if (found.eventHash !== claim.eventHash) throw new IdempotencyKeyMismatchError(key, found.requestId);
  if (found.status === 'in-progress') throw new IdempotencyInProgressError(key, found.requestId);
  ctx.logger.info(
    `idempotency: replayed the answer of request ${found.requestId} (key "${key}"); the handler did not run`,
  );
  annotateInvocation({ 'fc_kernel.replayed': true });
  return new EncodedAnswer(found.body, found.contentType);
}

/** The handler failed: its claim goes, so that a retry runs it again. */
async function release(guard: Guard, key: string, claim: InProgressRecord, ctx: FcContext): Promise<void> {
  try {
    await guard.store.release(key, claim);
  } catch (error) {
    ctx.logger.error(
      `idempotency: the claim on key "${key}" could not be removed (${messageOf(error)}): ` +
        `a retry runs once it expires, at ${new Date(claim.expiresAt).toISOString()}`,
    );
  }
}

/** Stores the answer; one the store cannot keep is still answered, and its claim released. */
async function store(
  guard: Guard,
  key: string,
  claim: InProgressRecord,
  answer: EncodedAnswer,
  ctx: FcContext,
): Promise<void> {
  const body = Buffer.isBuffer(answer.body) ? answer.body : Buffer.from(answer.body, 'utf8');
  if (body.length > guard.maxAnswerBytes) {
    ctx.logger.warn(
      `idempotency: the answer (${body.length} bytes) is over the body limit (${guard.maxAnswerBytes} bytes) ` +
        'and is not stored: a duplicate runs the handler again',
    );
    return release(guard, key, claim, ctx);
  }
  const completed: CompletedRecord = {
    status: 'completed',
    eventHash: claim.eventHash,
    requestId: claim.requestId,
    owner: claim.owner,
    expiresAt: Date.now() + guard.ttlMs,
    body,
    ...(answer.contentType === undefined ? {} : { contentType: answer.contentType }),
  };
  try {
    await guard.store.complete(key, claim, completed);
  } catch (error) {
    ctx.logger.error(
      `idempotency: the answer for key "${key}" could not be stored (${messageOf(error)}): ` +
        `a duplicate after ${new Date(claim.expiresAt).toISOString()} runs the handler again`,
    );
  }
}

function isStore(value: unknown): value is IdempotencyStore {
  const store = value as Partial<IdempotencyStore> | undefined;
  return (
    typeof store?.claim === 'function' && typeof store.complete === 'function' && typeof store.release === 'function'
  );
}

function positiveSeconds(where: { className: string; method: string }, name: string, value: unknown): number {
  if (typeof value === 'number' && Number.isFinite(value) && value > 0) return value;
  throw invalidOption(where, `${name} is a number of seconds, more than 0: got ${String(value)}`);
}

function invalidOption(where: { className: string; method: string }, problem: string): ConfigurationError {
  return new ConfigurationError(
    'INVALID_LAYER_OPTION',
    `@Idempotent on ${where.className}.${where.method}: ${problem}`,
    where,
  );
}
