/** A committed reading as ingest publishes it to its listeners (the twin). */
export interface Reading {
  timeMs: number;
  devEui: string;
  objectNumber: string | null;
  metric: string;
  value: number;
}
