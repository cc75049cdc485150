import { type Reading, type ReadingsSubscription, subscribeReadings } from '@city/ingest';
import type { Logger } from 'pino';

/** Where committed readings reach the twin from: ingest's event in the same process, or the broker. */
export interface ReadingsSource {
  /**
   * Starts handing committed readings to `listener`. Resolves once no reading committed from now
   * on can be missed (a broker subscription acknowledged), to the function that stops it.
   */
  listen(listener: (readings: Reading[]) => void): Promise<() => Promise<void>>;
}

/** Ingest's pipeline in this process (the embedded mode): its `readings` event after each commit. */
export function inProcessReadings(ingest: {
  on(event: 'readings', listener: (readings: Reading[]) => void): unknown;
  off(event: 'readings', listener: (readings: Reading[]) => void): unknown;
}): ReadingsSource {
  return {
    listen: async (listener) => {
      ingest.on('readings', listener);
      return async () => {
        ingest.off('readings', listener);
      };
    },
  };
}

/**
 * Ingest processes elsewhere (production): the readings topic they publish to, on a persistent
 * session of this process's own.
 */
export function brokerReadings(opts: {
  url: string;
  topic: string;
  clientId: string;
  log: Logger;
  protocolVersion?: 4 | 5;
}): ReadingsSource {
  return {
    listen: async (listener) => {
      const subscription: ReadingsSubscription = await subscribeReadings(opts, listener);
      return () => subscription.close();
    },
  };
}
