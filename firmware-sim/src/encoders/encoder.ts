import type { Random } from '../random.ts';

/**
 * One device model's firmware side: the uplink it sends. `V` is the reading in the vendor's own
 * field names and units - the `data` its published decoder returns, minus what the decoder merely
 * derives (echoed hex, totals, constant labels) - so a round trip compares like with like.
 */
export interface Encoder<V extends object = object> {
  /** `vendor/codec`, as in The Things Network device repository (and ingest's codec registry). */
  model: string;
  fPort: number;
  /** Throws RangeError for a value the wire cannot carry (a caller bug, never wrapped silently). */
  encode(values: V): Uint8Array;
  /** A plausible reading, quantised to what the wire carries, so decoding returns it exactly. */
  randomValues(rng: Random): V;
}
