import { FcError } from '../errors/FcError';
import type { RecordCoordinates } from './BatchRecord';
import { describeCoordinates } from './recordSources';

/** What happened to one record of a batch. */
export type RecordStatus = 'done' | 'replayed' | 'failed' | 'dead-lettered' | 'not-attempted';

/** One record's outcome, as the answer lists it. */
export interface RecordOutcome {
  readonly status: RecordStatus;
  readonly coordinates: RecordCoordinates;
  readonly key: string;
  /** `failed`, `dead-lettered`: the error, as `Type: message`. */
  readonly error?: string;
  /** `not-attempted`: why (the deadline, an earlier failure of its partition, another delivery holds it). */
  readonly reason?: string;
  /** `replayed`: what an earlier delivery did with it (`done` or `dead-lettered`). */
  readonly earlier?: 'done' | 'dead-lettered';
}

/**
 * What a batch handler answers: how many records ended each way, and every record that did not
 * end `done` or `replayed` (up to `MAX_LISTED_RECORDS`, then `unlisted` counts the rest), so that
 * the body stays small whatever the batch.
 */
export interface BatchReport {
  readonly records: number;
  readonly done: number;
  readonly replayed: number;
  readonly failed: number;
  readonly deadLettered: number;
  readonly notAttempted: number;
  readonly listed: readonly RecordOutcome[];
  readonly unlisted: number;
}

/** How many records a report lists. */
export const MAX_LISTED_RECORDS = 100;
/** The most of an error message a listed record keeps, in UTF-16 units. */
const MAX_ERROR_TEXT = 300;

/** The report of `outcomes`, in record order. */
export function reportOf(outcomes: readonly RecordOutcome[]): BatchReport {
  const count = { done: 0, replayed: 0, failed: 0, 'dead-lettered': 0, 'not-attempted': 0 };
  const listed: RecordOutcome[] = [];
  let unlisted = 0;
  for (const outcome of outcomes) {
    count[outcome.status]++;
    if (outcome.status === 'done' || outcome.status === 'replayed') continue;
    if (listed.length < MAX_LISTED_RECORDS) listed.push(cut(outcome));
    else unlisted++;
  }
  return {
    records: outcomes.length,
    done: count.done,
    replayed: count.replayed,
    failed: count.failed,
    deadLettered: count['dead-lettered'],
    notAttempted: count['not-attempted'],
    listed,
    unlisted,
  };
}

function cut(outcome: RecordOutcome): RecordOutcome {
  const error = outcome.error;
  if (error === undefined || error.length <= MAX_ERROR_TEXT) return outcome;
  return { ...outcome, error: `${error.slice(0, MAX_ERROR_TEXT)}…` };
}

/** How many records a `BatchFailedError`'s message names. */
const NAMED_IN_MESSAGE = 10;

/**
 * A batch left records failed or not attempted: the invocation fails, so that FC's trigger
 * delivers the batch again. Its message counts the records and names the first of them; `report`
 * has them all.
 */
export class BatchFailedError extends FcError {
  readonly errorType = 'BatchFailedError';
  override readonly handled = false;
  constructor(
    readonly report: BatchReport,
    cause?: unknown,
  ) {
    super(describeFailure(report), cause === undefined ? undefined : { cause });
  }
}

function describeFailure(report: BatchReport): string {
  const head =
    `${report.failed} of ${report.records} records failed and ${report.notAttempted} were not attempted ` +
    `(${report.done} done, ${report.replayed} replayed, ${report.deadLettered} dead-lettered): ` +
    'the batch is to be delivered again';
  const named = report.listed
    .filter((outcome) => outcome.status === 'failed' || outcome.status === 'not-attempted')
    .slice(0, NAMED_IN_MESSAGE)
    .map((outcome) => `${describeCoordinates(outcome.coordinates)} ${outcome.error ?? outcome.reason}`);
  const more = report.failed + report.notAttempted - named.length;
  return `${head}; ${named.join('; ')}${more > 0 ? `; and ${more} more` : ''}`;
}
