import { createCipheriv, createDecipheriv } from 'node:crypto';
import { checkUint, concat, idToAir } from './bytes.ts';
import { LorawanError } from './errors.ts';

/** LoRaWAN 1.0.x security primitives (spec §4.3.3, §4.4, §6.2.5), on node:crypto's AES-128. */

export type Direction = 'up' | 'down';

const BLOCK = 16;

function checkKey(key: Uint8Array): void {
  if (key.length !== BLOCK) throw new LorawanError('BAD_FIELD', `AES-128 key must be 16 bytes, got ${key.length}`);
}

/** AES-128 in ECB mode over whole blocks (LoRaWAN only ever uses the raw block cipher). */
export function aesEncrypt(key: Uint8Array, data: Uint8Array): Uint8Array {
  checkKey(key);
  const cipher = createCipheriv('aes-128-ecb', key, null).setAutoPadding(false);
  return concat(cipher.update(data), cipher.final());
}

export function aesDecrypt(key: Uint8Array, data: Uint8Array): Uint8Array {
  checkKey(key);
  const decipher = createDecipheriv('aes-128-ecb', key, null).setAutoPadding(false);
  return concat(decipher.update(data), decipher.final());
}

/** One left shift of a 128-bit value, folding the carry back in with 0x87 (RFC 4493 §2.3). */
function double(block: Uint8Array): Uint8Array {
  const out = new Uint8Array(BLOCK);
  for (let i = 0; i < BLOCK; i++) out[i] = ((block[i] ?? 0) << 1) | ((block[i + 1] ?? 0) >> 7);
  if ((block[0] ?? 0) & 0x80) out[BLOCK - 1] = (out[BLOCK - 1] ?? 0) ^ 0x87;
  return out;
}

/** AES-CMAC (RFC 4493): CBC-MAC whose last block is masked with a subkey derived from the key. */
export function aesCmac(key: Uint8Array, message: Uint8Array): Uint8Array {
  const k1 = double(aesEncrypt(key, new Uint8Array(BLOCK)));
  const complete = message.length > 0 && message.length % BLOCK === 0;
  const lastStart = complete ? message.length - BLOCK : message.length - (message.length % BLOCK);
  const last = new Uint8Array(BLOCK);
  last.set(message.subarray(lastStart));
  if (!complete) last[message.length - lastStart] = 0x80;
  const subkey = complete ? k1 : double(k1);
  for (let i = 0; i < BLOCK; i++) last[i] = (last[i] ?? 0) ^ (subkey[i] ?? 0);
  const cbc = createCipheriv('aes-128-cbc', key, new Uint8Array(BLOCK)).setAutoPadding(false);
  const out = concat(cbc.update(message.subarray(0, lastStart)), cbc.update(last), cbc.final());
  return out.subarray(out.length - BLOCK);
}

/** The block both the data MIC (B0, tag 0x49) and the payload keystream (Ai, tag 0x01) start from. */
function frameBlock(tag: number, dir: Direction, devAddr: string, fCnt: number, last: number): Uint8Array {
  const block = new Uint8Array(BLOCK);
  block[0] = tag;
  block[5] = dir === 'up' ? 0 : 1;
  block.set(idToAir(devAddr, 4, 'DevAddr'), 6);
  new DataView(block.buffer).setUint32(10, fCnt >>> 0, true);
  block[15] = last;
  return block;
}

/** MIC of a data frame: first 4 bytes of CMAC(NwkSKey, B0 | MHDR..FRMPayload). `fCnt` is the full 32 bits. */
export function dataMic(
  nwkSKey: Uint8Array,
  dir: Direction,
  devAddr: string,
  fCnt: number,
  msg: Uint8Array,
): Uint8Array {
  return aesCmac(nwkSKey, concat(frameBlock(0x49, dir, devAddr, fCnt, msg.length), msg)).subarray(0, 4);
}

/** FRMPayload encryption and decryption (the same XOR with the AES keystream of A1, A2, ...). */
export function cipherFrmPayload(
  key: Uint8Array,
  dir: Direction,
  devAddr: string,
  fCnt: number,
  data: Uint8Array,
): Uint8Array {
  const blocks = Math.ceil(data.length / BLOCK);
  const counters = concat(...Array.from({ length: blocks }, (_, i) => frameBlock(0x01, dir, devAddr, fCnt, i + 1)));
  const keystream = aesEncrypt(key, counters);
  return data.map((byte, i) => byte ^ (keystream[i] ?? 0));
}

export interface SessionKeys {
  nwkSKey: Uint8Array;
  appSKey: Uint8Array;
}

export interface JoinParameters {
  /** AppNonce (1.0) / JoinNonce, 24 bits, from the join-accept */
  joinNonce: number;
  /** MSB first, e.g. "aabbcc" */
  netId: string;
  /** 16 bits, from the join-request */
  devNonce: number;
}

/** 1.0.x session keys: AES(AppKey, 0x01|0x02 | JoinNonce | NetID | DevNonce | pad), fields little-endian. */
export function deriveSessionKeys10(appKey: Uint8Array, join: JoinParameters): SessionKeys {
  checkUint(join.joinNonce, 0, 0xffffff, 'JoinNonce');
  checkUint(join.devNonce, 0, 0xffff, 'DevNonce');
  const block = (tag: number) => {
    const b = new Uint8Array(BLOCK);
    const view = new DataView(b.buffer);
    b[0] = tag;
    view.setUint16(1, join.joinNonce & 0xffff, true);
    b[3] = (join.joinNonce >>> 16) & 0xff;
    b.set(idToAir(join.netId, 3, 'NetID'), 4);
    view.setUint16(7, join.devNonce, true);
    return b;
  };
  return { nwkSKey: aesEncrypt(appKey, block(0x01)), appSKey: aesEncrypt(appKey, block(0x02)) };
}
