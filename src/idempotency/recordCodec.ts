import type { IdempotencyRecord } from './IdempotencyStore';

/** A record's fields but the body, as the JSON line that starts its stored form. */
interface RecordHead {
  s: 'in-progress' | 'completed';
  h: string;
  r: string;
  o: string;
  e: number;
  t?: string;
}

const NEWLINE = 0x0a;
const NO_BODY = Buffer.alloc(0);

/**
 * A record as stored bytes: one line of JSON (JSON.stringify never writes a raw newline), then
 * the answer's bytes as they are, so that a binary answer costs no base64.
 */
export function encodeRecord(record: IdempotencyRecord): Buffer {
  const head: RecordHead = {
    s: record.status,
    h: record.eventHash,
    r: record.requestId,
    o: record.owner,
    e: record.expiresAt,
  };
  if (record.status === 'in-progress') return Buffer.from(JSON.stringify(head) + '\n', 'utf8');
  if (record.contentType !== undefined) head.t = record.contentType;
  return Buffer.concat([Buffer.from(JSON.stringify(head) + '\n', 'utf8'), record.body]);
}

/** The record `bytes` hold; throws on bytes no `encodeRecord` wrote. */
export function decodeRecord(bytes: Buffer): IdempotencyRecord {
  const end = bytes.indexOf(NEWLINE);
  if (end === -1) throw new TypeError('not an idempotency record: no header line');
  const head = JSON.parse(bytes.toString('utf8', 0, end)) as Partial<RecordHead> | null;
  if (
    head === null ||
    typeof head !== 'object' ||
    (head.s !== 'in-progress' && head.s !== 'completed') ||
    typeof head.h !== 'string' ||
    typeof head.r !== 'string' ||
    typeof head.o !== 'string' ||
    typeof head.e !== 'number' ||
    (head.t !== undefined && typeof head.t !== 'string')
  ) {
    throw new TypeError('not an idempotency record: its header line has the wrong fields');
  }
  const common = { eventHash: head.h, requestId: head.r, owner: head.o, expiresAt: head.e };
  if (head.s === 'in-progress') return { status: 'in-progress', ...common };
  const body = end + 1 < bytes.length ? Buffer.from(bytes.subarray(end + 1)) : NO_BODY;
  return head.t === undefined
    ? { status: 'completed', ...common, body }
    : { status: 'completed', ...common, body, contentType: head.t };
}
