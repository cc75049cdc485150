import { type CopyRows, copyField } from './copy-text.ts';
import type { Transaction } from './db.ts';
import { idempotentCopy } from './idempotent-copy.ts';

/** What an uplink row holds besides its time and device: frame counters and the best gateway's figures. */
export interface UplinkMeta {
  timeMs: number;
  fCnt: number;
  fPort: number;
  dedupId: string;
  devAddr: string;
  dr: number;
  frequency: number;
  rssi: number | null;
  snr: number | null;
  gatewayId: string | null;
  gateways: number;
}

/** The columns of `uplinkRow`, in its order. */
const COLUMNS = 'time, dev_eui, f_cnt, f_port, dedup_id, dev_addr, dr, frequency, rssi, snr, gateway_id, gateways';

/**
 * One uplink row in COPY text. `time` and `devEui` come as COPY fields, formatted once per frame
 * by the caller, since the frame's reading rows start with the same two.
 */
export function uplinkRow(time: string, devEui: string, u: UplinkMeta): string {
  return `${time}\t${devEui}\t${u.fCnt}\t${u.fPort}\t${copyField(u.dedupId)}\t${copyField(u.devAddr)}\t${u.dr}\t${u.frequency}\t${copyField(u.rssi)}\t${copyField(u.snr)}\t${copyField(u.gatewayId)}\t${u.gateways}\n`;
}

/** Writes the rows `uplinkRow` formatted; a replayed uplink is a no-op. */
export function copyUplinks(tx: Transaction, rows: CopyRows): Promise<void> {
  return idempotentCopy(tx, 'uplinks', COLUMNS, rows);
}
