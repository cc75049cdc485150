import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * Ingest's Prometheus metrics, on a registry of its own so several instances can coexist in tests.
 * `databaseMemory` reads what the embedded database holds, when ingest runs on one.
 */
export function createIngestMetrics(registry = new Registry(), databaseMemory?: () => number) {
  if (databaseMemory)
    new Gauge({
      name: 'ingest_embedded_database_bytes',
      help: "Size of the embedded PostgreSQL's WebAssembly memory (PGlite); the part in use is resident, the rest only reserved",
      registers: [registry],
      collect() {
        this.set(databaseMemory());
      },
    });
  return {
    registry,
    framesIn: new Counter({
      name: 'ingest_frames_in_total',
      help: 'MQTT messages received',
      registers: [registry],
    }),
    decoded: new Counter({
      name: 'ingest_frames_decoded_total',
      help: 'Frames turned into rows',
      registers: [registry],
    }),
    failed: new Counter({
      name: 'ingest_frames_failed_total',
      help: 'Frames that could not be turned into rows, by reason',
      labelNames: ['reason'],
      registers: [registry],
    }),
    deadLettered: new Counter({
      name: 'ingest_dead_lettered_total',
      help: 'Frames committed to the dead-letter table',
      registers: [registry],
    }),
    readings: new Counter({
      name: 'ingest_readings_committed_total',
      help: 'Reading rows committed',
      registers: [registry],
    }),
    uplinks: new Counter({
      name: 'ingest_uplinks_committed_total',
      help: 'Uplinks committed',
      registers: [registry],
    }),
    writeErrors: new Counter({
      name: 'ingest_write_errors_total',
      help: 'Failed database writes (retried)',
      registers: [registry],
    }),
    batchSize: new Histogram({
      name: 'ingest_batch_frames',
      help: 'Frames per database write',
      buckets: [1, 10, 100, 500, 1000, 2000, 5000, 10000, 50000],
      registers: [registry],
    }),
    batchLatency: new Histogram({
      name: 'ingest_batch_write_seconds',
      help: 'Duration of one batch commit',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    writersFailing: new Gauge({
      name: 'ingest_writers_failing',
      help: 'Batch writers whose last write failed (database away, or a refused batch being split)',
      registers: [registry],
    }),
    bufferDepth: new Gauge({
      name: 'ingest_buffer_frames',
      help: 'Frames received but not yet committed',
      registers: [registry],
    }),
  };
}

export type IngestMetrics = ReturnType<typeof createIngestMetrics>;
