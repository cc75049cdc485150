import type { Reading } from '../contract/reading.ts';

/**
 * A target that committed readings go to besides ingest's own tables (which the pipeline writes
 * itself, in its transaction). One file per target, registered in `index.ts`, as ChirpStack's
 * integrations are.
 */
export interface ReadingsOutput {
  readonly name: string;
  /**
   * Takes one committed batch. Runs on the pipeline's commit path: it must return at once and
   * never throw (a slow or failing target queues, drops and counts, it does not hold ingest).
   */
  deliver(readings: readonly Reading[]): void;
  /** Sends what is still pending (within a deadline), then lets go of its connections. */
  close(): Promise<void>;
}
