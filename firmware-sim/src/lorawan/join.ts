import { checkUint, concat, idFromAir, idToAir, sameBytes } from './bytes.ts';
import { aesCmac, aesDecrypt, aesEncrypt } from './crypto.ts';
import { LorawanError } from './errors.ts';
import { type JoinRequestFrame, mhdrOf } from './frames.ts';

/** OTAA in LoRaWAN 1.0.x: the device's join-request and the network's join-accept (spec §6.2). */

export interface JoinRequestFields {
  joinEui: string;
  devEui: string;
  devNonce: number;
}

export function buildJoinRequest(fields: JoinRequestFields, appKey: Uint8Array): Uint8Array {
  checkUint(fields.devNonce, 0, 0xffff, 'DevNonce');
  const devNonce = new Uint8Array(2);
  new DataView(devNonce.buffer).setUint16(0, fields.devNonce, true);
  const msg = concat(
    Uint8Array.of(mhdrOf('join_request')),
    idToAir(fields.joinEui, 8, 'JoinEUI'),
    idToAir(fields.devEui, 8, 'DevEUI'),
    devNonce,
  );
  return concat(msg, micOf(appKey, msg));
}

export function computeJoinRequestMic(frame: JoinRequestFrame, appKey: Uint8Array): Uint8Array {
  return micOf(appKey, frame.phyPayload.subarray(0, frame.phyPayload.length - 4));
}

export function verifyJoinRequestMic(frame: JoinRequestFrame, appKey: Uint8Array): boolean {
  return sameBytes(computeJoinRequestMic(frame, appKey), frame.mic);
}

export interface JoinAcceptFields {
  /** AppNonce in 1.0, 24 bits */
  joinNonce: number;
  /** MSB first */
  netId: string;
  devAddr: string;
  /** RX1DROffset (bits 4-6), RX2DataRate (bits 0-3) */
  dlSettings: number;
  /** seconds until RX1, 0 meaning 1 */
  rxDelay: number;
  /** EU868: five extra channel frequencies plus CFListType, 16 bytes; empty for none */
  cfList: Uint8Array;
}

export interface JoinAccept extends JoinAcceptFields {
  mic: Uint8Array;
  /** the decrypted PHYPayload, over which the MIC is computed */
  plaintext: Uint8Array;
}

/** MHDR + JoinNonce + NetID + DevAddr + DLSettings + RxDelay + MIC, without CFList */
const JOIN_ACCEPT_LENGTH = 1 + 3 + 3 + 4 + 1 + 1 + 4;

/**
 * Reads a join-accept as the device sees it. The network "encrypts" with AES decrypt so that the
 * device only needs AES encrypt, which therefore undoes it here.
 */
export function openJoinAccept(phyPayload: Uint8Array, appKey: Uint8Array): JoinAccept {
  checkJoinAcceptLength(phyPayload);
  return readJoinAccept(concat(phyPayload.subarray(0, 1), aesEncrypt(appKey, phyPayload.subarray(1))));
}

/** Fields of an already decrypted join-accept. */
export function readJoinAccept(plaintext: Uint8Array): JoinAccept {
  checkJoinAcceptLength(plaintext);
  const view = new DataView(plaintext.buffer, plaintext.byteOffset, plaintext.byteLength);
  return {
    joinNonce: view.getUint16(1, true) | ((plaintext[3] ?? 0) << 16),
    netId: idFromAir(plaintext.subarray(4, 7)),
    devAddr: idFromAir(plaintext.subarray(7, 11)),
    dlSettings: plaintext[11] ?? 0,
    rxDelay: plaintext[12] ?? 0,
    cfList: plaintext.subarray(13, plaintext.length - 4),
    mic: plaintext.subarray(plaintext.length - 4),
    plaintext,
  };
}

/** The network side, for simulating a join end to end: plaintext with MIC, then AES decrypt. */
export function buildJoinAccept(fields: JoinAcceptFields, appKey: Uint8Array): Uint8Array {
  if (fields.cfList.length !== 0 && fields.cfList.length !== 16) {
    throw new LorawanError('BAD_FIELD', `CFList is 16 bytes or absent, got ${fields.cfList.length}`);
  }
  checkUint(fields.joinNonce, 0, 0xffffff, 'JoinNonce');
  checkUint(fields.dlSettings, 0, 0xff, 'DLSettings');
  checkUint(fields.rxDelay, 0, 0xff, 'RxDelay');
  const joinNonce = Uint8Array.of(fields.joinNonce & 0xff, (fields.joinNonce >>> 8) & 0xff, fields.joinNonce >>> 16);
  const msg = concat(
    Uint8Array.of(mhdrOf('join_accept')),
    joinNonce,
    idToAir(fields.netId, 3, 'NetID'),
    idToAir(fields.devAddr, 4, 'DevAddr'),
    Uint8Array.of(fields.dlSettings, fields.rxDelay),
    fields.cfList,
  );
  return concat(msg.subarray(0, 1), aesDecrypt(appKey, concat(msg.subarray(1), micOf(appKey, msg))));
}

export function computeJoinAcceptMic(joinAccept: JoinAccept, appKey: Uint8Array): Uint8Array {
  return micOf(appKey, joinAccept.plaintext.subarray(0, joinAccept.plaintext.length - 4));
}

export function verifyJoinAcceptMic(joinAccept: JoinAccept, appKey: Uint8Array): boolean {
  return sameBytes(computeJoinAcceptMic(joinAccept, appKey), joinAccept.mic);
}

function micOf(appKey: Uint8Array, msg: Uint8Array): Uint8Array {
  return aesCmac(appKey, msg).subarray(0, 4);
}

function checkJoinAcceptLength(phyPayload: Uint8Array): void {
  const length = phyPayload.length;
  if (length !== JOIN_ACCEPT_LENGTH && length !== JOIN_ACCEPT_LENGTH + 16) {
    throw new LorawanError('BAD_LENGTH', `join-accept is 17 or 33 bytes, got ${length}`);
  }
}
