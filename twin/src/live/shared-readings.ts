import type { Reading } from '@city/ingest';
import type { ReadingsSource } from './readings-source.ts';

/**
 * One readings source heard by several parts of the server (the live state, the alarm rules, the
 * stream's reading batches) through a single subscription: a broker source is one persistent
 * session per process, which two subscribers of their own would take from each other.
 */
export class SharedReadings implements ReadingsSource {
  private readonly listeners = new Set<(readings: Reading[]) => void>();
  private stop: Promise<() => Promise<void>> | undefined;

  constructor(private readonly source: ReadingsSource) {}

  async listen(listener: (readings: Reading[]) => void): Promise<() => Promise<void>> {
    this.listeners.add(listener);
    this.stop ??= this.source.listen((readings) => {
      for (const l of this.listeners) l(readings);
    });
    try {
      await this.stop;
    } catch (err) {
      this.listeners.delete(listener);
      this.stop = undefined;
      throw err;
    }
    return async () => {
      this.listeners.delete(listener);
      if (this.listeners.size > 0 || !this.stop) return;
      const stopping = this.stop;
      this.stop = undefined;
      await (await stopping)();
    };
  }
}
