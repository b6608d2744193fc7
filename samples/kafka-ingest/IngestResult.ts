/** A record whose value is not a valid reading, and why. */
export interface FailedRecord {
  topic: string;
  partition: number;
  offset: number;
  reason: string;
}

/**
 * What `ingest-readings` answers for a batch: how many records came and were stored, and each one
 * that was rejected. A rejected record does not fail the batch: EventBridge would deliver the
 * whole batch again, and the bad record would be as bad the next time.
 */
export interface IngestResult {
  received: number;
  stored: number;
  failed: FailedRecord[];
}
