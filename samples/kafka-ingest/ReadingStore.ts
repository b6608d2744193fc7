import type { InjectionToken } from 'fc-kernel';
import type { MeterReading } from './MeterReading';

/** A reading with the record it came from, which identifies it: Kafka may deliver a record twice. */
export interface StoredReading extends MeterReading {
  topic: string;
  partition: number;
  offset: number;
}

/** Where readings go. Injected by token, so a test or a real database can replace it. */
export interface ReadingStore {
  /** Opens connections: called once when the function initializes. */
  connect(): Promise<void>;
  /** Stores a reading; storing one again (same topic, partition, offset) changes nothing. */
  save(reading: StoredReading): Promise<void>;
  /** Closes connections: called before the instance stops. */
  close(): Promise<void>;
}

export const READING_STORE: InjectionToken<ReadingStore> = Symbol('ReadingStore');

/** A store in memory, for running the sample without a database. */
export class InMemoryReadingStore implements ReadingStore {
  readonly readings = new Map<string, StoredReading>();
  connected = false;

  async connect(): Promise<void> {
    this.connected = true;
  }

  async save(reading: StoredReading): Promise<void> {
    if (!this.connected) throw new Error('the reading store is not connected');
    this.readings.set(`${reading.topic}/${reading.partition}/${reading.offset}`, reading);
  }

  async close(): Promise<void> {
    this.connected = false;
  }
}
