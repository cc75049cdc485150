import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { IngestConfig } from '../config/ingest-settings.ts';
import type { Reading } from '../contract/reading.ts';
import { mqttReadingsOutput } from './mqtt-readings.ts';
import type { ReadingsOutput } from './readings-output.ts';

export type { ReadingsOutput } from './readings-output.ts';
export { type ReadingsSubscription, subscribeReadings } from './readings-subscription.ts';

/** What outputs may connect to: the broker ingest reads (absent when the embedded broker feeds it in-process). */
export interface OutputContext {
  log: Logger;
  registry: Registry;
  broker?: { url: string; protocolVersion: 4 | 5 };
}

/**
 * The outputs a configuration turns on - the one list of them. The MQTT readings output needs a
 * broker that other processes read; with the embedded broker the twin runs in the same process
 * and listens to the pipeline's `readings` event directly.
 */
export function openOutputs(config: IngestConfig, ctx: OutputContext): ReadingsOutput[] {
  const outputs: ReadingsOutput[] = [];
  if (config.readingsTopic && ctx.broker) {
    outputs.push(
      mqttReadingsOutput({
        url: ctx.broker.url,
        protocolVersion: ctx.broker.protocolVersion,
        clientId: config.mqttClientId,
        topic: config.readingsTopic,
        log: ctx.log,
        registry: ctx.registry,
      }),
    );
  }
  return outputs;
}

/**
 * Hands each committed batch of `source` to every output; returns the function that detaches them
 * and closes them. Without outputs nothing listens, so the pipeline collects no reading objects.
 */
export function attachOutputs(
  source: {
    on(event: 'readings', listener: (readings: Reading[]) => void): unknown;
    off(event: 'readings', listener: (readings: Reading[]) => void): unknown;
  },
  outputs: readonly ReadingsOutput[],
): () => Promise<void> {
  if (outputs.length === 0) return async () => {};
  const deliver = (readings: Reading[]) => {
    for (const output of outputs) output.deliver(readings);
  };
  source.on('readings', deliver);
  return async () => {
    source.off('readings', deliver);
    await Promise.all(outputs.map((o) => o.close()));
  };
}
