/**
 * What the columns of ingest's tables (migrations/001_core.sql) take from a frame. A value
 * outside them would make the database refuse the whole batch that holds it, so frames are
 * checked against these as they are taken, and a bad one is dead-lettered with its field named.
 * Where LoRaWAN itself is narrower than the column, the range is LoRaWAN's.
 */

const INTEGER: Range = [-2_147_483_648, 2_147_483_647];
const UINT32: Range = [0, 4_294_967_295];

/** Inclusive bounds of a numeric field. */
export type Range = readonly [min: number, max: number];

/** `uplinks` columns, and the status figures `devices` keeps. */
export const RANGES = {
  /** bigint; LoRaWAN frame counters are 32-bit. */
  fCnt: UINT32,
  /** integer; a LoRaWAN FPort is one byte. */
  fPort: [0, 255],
  /** smallint; LoRaWAN data rates are 0..15. */
  dr: [0, 15],
  /** bigint; ChirpStack carries Hz as uint32. */
  frequency: UINT32,
  /** real; dBm and dB a receiver can report. */
  rssi: [-200, 50],
  snr: [-50, 50],
  /** smallint `gateways`: how many gateways heard the uplink. */
  gateways: [0, 32_767],
  /** integer `margin` (LoRaWAN DevStatusAns: -32..31). */
  margin: INTEGER,
  /** real `battery`, a percentage. */
  batteryLevel: [0, 100],
  /** Downlink counters and ids, kept in `device_events` JSON. */
  counter: UINT32,
} as const satisfies Record<string, Range>;

/**
 * Longest texts a frame may bring, in UTF-16 units. The columns are `text`, unlimited; these
 * keep one frame from storing megabytes in a name, a tag or a log line.
 */
export const TEXT_MAX = {
  topic: 512,
  /** Ids ChirpStack writes: application and deduplication ids (UUIDs), devAddr, gateway ids. */
  id: 128,
  /** Device and profile names, tag keys and values (a `model` tag, an `object` number). */
  name: 256,
  /** Log descriptions and their context values, kept in `device_events`. */
  description: 4096,
} as const;
