import { randomUUID } from 'node:crypto';
import type { FcContext } from '../context/FcContext';
import { messageOf } from '../errors/FcError';
import { IdempotencyKeyMismatchError } from '../idempotency/errors';
import type { CallNext, Invocation } from '../kernel/interceptor';
import { createRedactor, type prepareSecrets, type Redact } from '../logging/redaction';
import type { BatchRecord } from './BatchRecord';
import { BatchFailedError, reportOf, type BatchReport, type RecordOutcome } from './BatchReport';
import { MAX_DEAD_LETTER_RECORD_BYTES, sendToSink, type DeadLetter, type DeadLetterSink } from './DeadLetter';
import type { BatchDecoder, PendingRecord } from './decodeRecords';
import type { BatchPolicy } from './options';
import { describeCoordinates, partitionKeyOf } from './recordSources';
import { RecordMemory } from './RecordMemory';
import type { InProgressRecord } from '../idempotency/IdempotencyStore';
import { annotateInvocation } from '../kernel/annotateInvocation';
import { runRecord } from '../kernel/runRecord';

/** How one function's batches run, decided at boot. */
export interface BatchPlan {
  readonly functionName: string;
  readonly decoder: BatchDecoder;
  readonly policy: BatchPolicy;
  readonly sink: DeadLetterSink | undefined;
  /** Tries of a record's handler within one invocation. */
  readonly attempts: number;
  readonly concurrency: number;
  readonly ordered: boolean;
  readonly marginMs: number;
  readonly memory: RecordMemory | undefined;
  /** The environment's credentials, for what leaves the process in a report or a dead letter. */
  readonly environmentSecrets: ReturnType<typeof prepareSecrets>;
}

/** A failed record the dead-letter policy holds until the sink has taken it. */
interface HeldLetter {
  index: number;
  record: PendingRecord;
  claim: InProgressRecord | undefined;
  error: unknown;
  attempts: number;
}

/** Pause before the dead-letter policy tries a record again, per try made. */
const RETRY_PAUSE_MS = 50;

/**
 * Runs one delivered batch: each record decoded and handed to the rest of the chain (`next`) on
 * its own, by the plan's policy, order, concurrency and deadline. Answers the report when every
 * record ended done, replayed or dead-lettered; else rejects with `BatchFailedError`, so that FC
 * delivers the batch again.
 */
export async function runBatch(plan: BatchPlan, invocation: Invocation, next: CallNext): Promise<BatchReport> {
  const ctx = invocation.context;
  const body = invocation.event;
  if (!Buffer.isBuffer(body)) {
    throw new TypeError(
      `${plan.functionName}: a batch handler receives FC's body as bytes (declare it with @OnRecord)`,
    );
  }
  const records = plan.decoder.records(body);
  const run = new BatchRun(plan, ctx, next, records);
  await run.all();
  return run.finish();
}

class BatchRun {
  readonly outcomes: RecordOutcome[];
  private readonly held: HeldLetter[] = [];
  private readonly stopAt: number;
  private redactor: Redact | undefined;
  /** This delivery's token in its claims. */
  private readonly owner = randomUUID();

  constructor(
    private readonly plan: BatchPlan,
    private readonly ctx: FcContext,
    private readonly next: CallNext,
    private readonly records: readonly PendingRecord[],
  ) {
    this.outcomes = new Array<RecordOutcome>(records.length);
    this.stopAt = Number.isFinite(ctx.deadline) ? ctx.deadline - plan.marginMs : Infinity;
  }

  /** Every record, in lanes: a partition of an ordered source in order, else each record alone. */
  async all(): Promise<void> {
    const lanes = lanesOf(this.records, this.plan.ordered);
    let taken = 0;
    const worker = async () => {
      while (taken < lanes.length) await this.lane(lanes[taken++]);
    };
    const workers = Math.min(this.plan.concurrency, lanes.length);
    if (workers <= 1) await worker();
    else await Promise.all(Array.from({ length: workers }, worker));
  }

  private async lane(indexes: readonly number[]): Promise<void> {
    for (let i = 0; i < indexes.length; i++) {
      const index = indexes[i];
      const record = this.records[index];
      // Through the invocation's observers: with tracing on, each record is a span of its own.
      const outcome = await runRecord({ index, id: record.coordinates.messageId }, () => this.one(index));
      this.outcomes[index] = outcome;
      const blocked = outcome.status === 'failed' || outcome.status === 'not-attempted';
      if (blocked && this.plan.ordered) {
        const reason = `an earlier record of its partition (${describeCoordinates(outcome.coordinates)}) did not succeed`;
        for (const later of indexes.slice(i + 1)) this.outcomes[later] = this.notAttempted(later, reason);
        return;
      }
    }
  }

  /** One record: replayed, run, or not attempted. */
  private async one(index: number): Promise<RecordOutcome> {
    const record = this.records[index];
    if (Date.now() >= this.stopAt) return this.notAttempted(index, 'the invocation is near its deadline');
    let claim: InProgressRecord | undefined;
    const memory = this.plan.memory;
    if (memory) {
      let claimed: Awaited<ReturnType<RecordMemory['claim']>>;
      try {
        claimed = await memory.claim(record, this.owner, this.ctx);
      } catch (error) {
        return this.notAttempted(index, `the idempotency store failed: ${messageOf(error)}`);
      }
      const found = claimed.found;
      if (found && found.eventHash !== claimed.claim.eventHash) {
        const error = new IdempotencyKeyMismatchError(
          `${this.plan.functionName}:record:${record.key}`,
          found.requestId,
        );
        return this.failure(record, 'failed', error, 0);
      }
      if (found?.status === 'in-progress') {
        return this.notAttempted(index, `another delivery (request ${found.requestId}) is running it`);
      }
      if (found?.status === 'completed') {
        const earlier = RecordMemory.earlierOutcome(found);
        this.ctx.logger.debug(`batch: ${describeCoordinates(record.coordinates)} replayed (${earlier} before)`);
        return { status: 'replayed', coordinates: record.coordinates, key: record.key, earlier };
      }
      claim = claimed.claim;
    }
    const { error, attempts } = await this.attempt(record);
    if (error === undefined) {
      if (claim) await this.remember(record, claim, 'done');
      this.ctx.logger.debug(`batch: ${describeCoordinates(record.coordinates)} done`);
      return { status: 'done', coordinates: record.coordinates, key: record.key };
    }
    if (this.plan.policy === 'dead-letter') {
      this.held.push({ index, record, claim, error, attempts });
      return this.failure(record, 'dead-lettered', error, attempts);
    }
    if (claim) await this.release(record, claim);
    return this.failure(record, 'failed', error, attempts);
  }

  /** Decodes the record and runs its handler, tries again as the plan says; the last error if none succeeded. */
  private async attempt(record: PendingRecord): Promise<{ error?: unknown; attempts: number }> {
    let decoded;
    try {
      decoded = await this.plan.decoder.decode(record);
    } catch (error) {
      return { error, attempts: 0 };
    }
    for (let attempt = 1; ; attempt++) {
      const given: BatchRecord = {
        body: decoded.body,
        event: decoded.event,
        coordinates: record.coordinates,
        key: record.key,
        attempt,
      };
      try {
        await this.next(given);
        return { attempts: attempt };
      } catch (error) {
        const pause = RETRY_PAUSE_MS * attempt;
        if (attempt >= this.plan.attempts || Date.now() + pause >= this.stopAt) return { error, attempts: attempt };
        this.ctx.logger.warn(
          `batch: ${describeCoordinates(record.coordinates)} failed (try ${attempt} of ${this.plan.attempts}): ${this.describeError(error)}`,
        );
        await new Promise((resolve) => setTimeout(resolve, pause));
      }
    }
  }

  /** Hands the held records to the sink, then the report; rejects when any record is left to redeliver. */
  async finish(): Promise<BatchReport> {
    let sinkError: unknown;
    if (this.held.length > 0) sinkError = await this.deadLetter();
    const report = reportOf(this.outcomes);
    annotateInvocation({
      'fc_kernel.records.succeeded': report.done + report.replayed,
      'fc_kernel.records.failed': report.failed + report.deadLettered + report.notAttempted,
    });
    const summary =
      `batch: ${report.records} records: ${report.done} done, ${report.replayed} replayed, ${report.failed} failed, ` +
      `${report.deadLettered} dead-lettered, ${report.notAttempted} not attempted`;
    if (report.failed === 0 && report.notAttempted === 0) {
      this.ctx.logger.info(summary);
      return report;
    }
    this.ctx.logger.warn(`${summary}: the invocation fails, so that FC delivers the batch again`);
    throw new BatchFailedError(report, sinkError);
  }

  /** Sends the held records to the sink: remembered as dead-lettered once it took them, else failed. */
  private async deadLetter(): Promise<unknown> {
    const failedAt = new Date().toISOString();
    const letters: DeadLetter[] = this.held.map((held) => ({
      functionName: this.plan.functionName,
      requestId: this.ctx.requestId,
      key: held.record.key,
      coordinates: held.record.coordinates,
      error: { type: errorTypeOf(held.error), message: this.redact(messageOf(held.error)) },
      attempts: held.attempts,
      retryCount: this.ctx.retryCount,
      failedAt,
      record: this.redact(recordText(held.record.raw)),
    }));
    try {
      await sendToSink(this.plan.sink!, letters, this.ctx);
    } catch (sinkError) {
      const why = `the dead-letter sink failed: ${messageOf(sinkError)}`;
      this.ctx.logger.error(`batch: ${why}; ${letters.length} record(s) stay failed`);
      for (const held of this.held) {
        if (held.claim) await this.release(held.record, held.claim);
        const outcome = this.outcomes[held.index];
        this.outcomes[held.index] = { ...outcome, status: 'failed', error: `${outcome.error} (${why})` };
      }
      return sinkError;
    }
    for (const held of this.held) if (held.claim) await this.remember(held.record, held.claim, 'dead-lettered');
    return undefined;
  }

  private failure(
    record: PendingRecord,
    status: 'failed' | 'dead-lettered',
    error: unknown,
    attempts: number,
  ): RecordOutcome {
    const described = this.describeError(error);
    const tries = attempts === 0 ? 'did not decode' : `after ${attempts} ${attempts === 1 ? 'try' : 'tries'}`;
    this.ctx.logger.warn(
      `batch: ${describeCoordinates(record.coordinates)} ${status === 'failed' ? 'failed' : 'to be dead-lettered'} (${tries}): ${described}`,
    );
    return { status, coordinates: record.coordinates, key: record.key, error: described };
  }

  private notAttempted(index: number, reason: string): RecordOutcome {
    const record = this.records[index];
    this.ctx.logger.info(`batch: ${describeCoordinates(record.coordinates)} not attempted: ${reason}`);
    return { status: 'not-attempted', coordinates: record.coordinates, key: record.key, reason };
  }

  private async remember(record: PendingRecord, claim: InProgressRecord, outcome: 'done' | 'dead-lettered') {
    try {
      await this.plan.memory!.complete(record, claim, outcome);
    } catch (error) {
      this.ctx.logger.error(
        `batch: ${describeCoordinates(record.coordinates)} is ${outcome} but could not be remembered (${messageOf(error)}): ` +
          `a redelivery after ${new Date(claim.expiresAt).toISOString()} runs it again`,
      );
    }
  }

  private async release(record: PendingRecord, claim: InProgressRecord) {
    try {
      await this.plan.memory!.release(record, claim);
    } catch (error) {
      this.ctx.logger.error(
        `batch: the claim on ${describeCoordinates(record.coordinates)} could not be removed (${messageOf(error)}): ` +
          `a redelivery runs it once the claim expires, at ${new Date(claim.expiresAt).toISOString()}`,
      );
    }
  }

  private describeError(error: unknown): string {
    return this.redact(`${errorTypeOf(error)}: ${messageOf(error)}`);
  }

  /** Removes the invocation's credentials from text that leaves the process in a report or a dead letter. */
  private redact(text: string): string {
    if (!this.redactor) {
      const { accessKeyId, accessKeySecret, securityToken } = this.ctx.credentials;
      this.redactor = createRedactor([accessKeyId, accessKeySecret, securityToken], this.plan.environmentSecrets);
    }
    return this.redactor(text);
  }
}

/** The lanes records run in: a partition's records in order when ordered, else each record alone. */
function lanesOf(records: readonly PendingRecord[], ordered: boolean): number[][] {
  if (!ordered) return records.map((_, index) => [index]);
  const byPartition = new Map<string, number[]>();
  records.forEach((record, index) => {
    const key = partitionKeyOf(record.coordinates);
    const lane = byPartition.get(key);
    if (lane) lane.push(index);
    else byPartition.set(key, [index]);
  });
  return [...byPartition.values()];
}

function errorTypeOf(error: unknown): string {
  const type = (error as { errorType?: unknown } | null)?.errorType;
  if (typeof type === 'string') return type;
  return error instanceof Error ? error.name : typeof error;
}

function recordText(raw: unknown): string {
  const text = typeof raw === 'string' ? raw : (JSON.stringify(raw) ?? '');
  return text.length > MAX_DEAD_LETTER_RECORD_BYTES ? text.slice(0, MAX_DEAD_LETTER_RECORD_BYTES) : text;
}
