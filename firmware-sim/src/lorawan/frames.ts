import { checkUint, concat, idFromAir, idToAir, sameBytes } from './bytes.ts';
import { cipherFrmPayload, type Direction, dataMic, type SessionKeys } from './crypto.ts';
import { LorawanError } from './errors.ts';

/** MHDR message types, indexed by the top three bits (0b110 is RFU in 1.0, rejoin-request in 1.1). */
const MTYPES = [
  'join_request',
  'join_accept',
  'unconfirmed_data_up',
  'unconfirmed_data_down',
  'confirmed_data_up',
  'confirmed_data_down',
  'rejoin_request',
  'proprietary',
] as const;
export type MType = (typeof MTYPES)[number];
export type DataMType = Extract<MType, `${string}_data_${string}`>;

const MIC_LENGTH = 4;
/** MHDR + DevAddr + FCtrl + FCnt + MIC */
const DATA_MIN_LENGTH = 1 + 4 + 1 + 2 + MIC_LENGTH;
/** MHDR + JoinEUI + DevEUI + DevNonce + MIC */
const JOIN_REQUEST_LENGTH = 1 + 8 + 8 + 2 + MIC_LENGTH;

export interface DataFrame {
  mtype: DataMType;
  /** MSB first, e.g. "49be7df1" */
  devAddr: string;
  /** raw FCtrl byte: ADR, ADRACKReq/RFU, ACK, ClassB/FPending, FOptsLen */
  fCtrl: number;
  /** the 16 bits on air; the full counter's upper half is the receiver's to know */
  fCnt: number;
  /** MAC commands piggybacked in the header (not encrypted in 1.0.x) */
  fOpts: Uint8Array;
  /** absent when the frame carries no payload */
  fPort?: number;
  /** FRMPayload as transmitted, i.e. encrypted */
  frmPayload: Uint8Array;
  mic: Uint8Array;
  phyPayload: Uint8Array;
}

export interface JoinRequestFrame {
  mtype: 'join_request';
  joinEui: string;
  devEui: string;
  devNonce: number;
  mic: Uint8Array;
  phyPayload: Uint8Array;
}

/** Encrypted on air; `openJoinAccept` reads it with the AppKey. */
export interface JoinAcceptFrame {
  mtype: 'join_accept';
  phyPayload: Uint8Array;
}

export interface ProprietaryFrame {
  mtype: 'proprietary';
  /** everything after MHDR; proprietary frames have no MIC */
  payload: Uint8Array;
  phyPayload: Uint8Array;
}

export type PhyFrame = DataFrame | JoinRequestFrame | JoinAcceptFrame | ProprietaryFrame;

export function mtypeOf(mhdr: number): MType {
  const mtype = MTYPES[mhdr >> 5];
  if (mtype === undefined || (mhdr & 0x03) !== 0) {
    throw new LorawanError('UNSUPPORTED_FRAME', `MHDR 0x${mhdr.toString(16)} is not LoRaWAN R1`);
  }
  return mtype;
}

export function mhdrOf(mtype: MType): number {
  return MTYPES.indexOf(mtype) << 5;
}

export function directionOf(mtype: DataMType): Direction {
  return mtype.endsWith('_up') ? 'up' : 'down';
}

function needs(bytes: Uint8Array, length: number, what: string): void {
  if (bytes.length < length) {
    throw new LorawanError('BAD_LENGTH', `${what} needs at least ${length} bytes, got ${bytes.length}`);
  }
}

export function parsePhyPayload(phyPayload: Uint8Array): PhyFrame {
  needs(phyPayload, 1, 'PHYPayload');
  const mtype = mtypeOf(phyPayload[0] ?? 0);
  switch (mtype) {
    case 'proprietary':
      return { mtype, payload: phyPayload.subarray(1), phyPayload };
    case 'join_accept':
      return { mtype, phyPayload };
    case 'join_request': {
      if (phyPayload.length !== JOIN_REQUEST_LENGTH) {
        throw new LorawanError('BAD_LENGTH', `join-request is ${JOIN_REQUEST_LENGTH} bytes, got ${phyPayload.length}`);
      }
      return {
        mtype,
        joinEui: idFromAir(phyPayload.subarray(1, 9)),
        devEui: idFromAir(phyPayload.subarray(9, 17)),
        devNonce: new DataView(phyPayload.buffer, phyPayload.byteOffset).getUint16(17, true),
        mic: phyPayload.subarray(19, 23),
        phyPayload,
      };
    }
    case 'rejoin_request':
      throw new LorawanError('UNSUPPORTED_FRAME', 'rejoin-request is LoRaWAN 1.1');
    case 'unconfirmed_data_up':
    case 'unconfirmed_data_down':
    case 'confirmed_data_up':
    case 'confirmed_data_down':
      return parseDataFrame(mtype, phyPayload);
  }
}

function parseDataFrame(mtype: DataMType, phyPayload: Uint8Array): DataFrame {
  needs(phyPayload, DATA_MIN_LENGTH, 'data frame');
  const fCtrl = phyPayload[5] ?? 0;
  const fOptsEnd = 8 + (fCtrl & 0x0f);
  const micStart = phyPayload.length - MIC_LENGTH;
  needs(phyPayload, fOptsEnd + MIC_LENGTH, `data frame with ${fCtrl & 0x0f} FOpts bytes`);
  const hasPort = micStart > fOptsEnd;
  return {
    mtype,
    devAddr: idFromAir(phyPayload.subarray(1, 5)),
    fCtrl,
    fCnt: new DataView(phyPayload.buffer, phyPayload.byteOffset).getUint16(6, true),
    fOpts: phyPayload.subarray(8, fOptsEnd),
    ...(hasPort ? { fPort: phyPayload[fOptsEnd] } : {}),
    frmPayload: phyPayload.subarray(hasPort ? fOptsEnd + 1 : micStart, micStart),
    mic: phyPayload.subarray(micStart),
    phyPayload,
  };
}

export interface DataFrameFields {
  mtype: DataMType;
  devAddr: string;
  /** the full 32-bit frame counter; its low 16 bits go on air, all 32 into MIC and keystream */
  fCnt: number;
  /** 0 for MAC commands (encrypted with NwkSKey), 1-223 for the application */
  fPort?: number;
  /** plaintext FRMPayload; needs `fPort` */
  payload?: Uint8Array;
  fOpts?: Uint8Array;
  adr?: boolean;
  adrAckReq?: boolean;
  ack?: boolean;
}

/** A complete data frame as the radio sends it: FRMPayload encrypted, MIC appended. */
export function buildDataFrame(fields: DataFrameFields, keys: SessionKeys): Uint8Array {
  const fOpts = fields.fOpts ?? new Uint8Array();
  const payload = fields.payload ?? new Uint8Array();
  if (fOpts.length > 15) throw new LorawanError('BAD_FIELD', `FOpts carry at most 15 bytes, got ${fOpts.length}`);
  if (fields.fPort === undefined && payload.length > 0) throw new LorawanError('BAD_FIELD', 'a payload needs an FPort');
  if (fields.fPort !== undefined) checkUint(fields.fPort, 0, 223, 'FPort');
  checkUint(fields.fCnt, 0, 0xffffffff, 'FCnt');
  const dir = directionOf(fields.mtype);
  const header = new Uint8Array(8);
  header[0] = mhdrOf(fields.mtype);
  header.set(idToAir(fields.devAddr, 4, 'DevAddr'), 1);
  header[5] = (fields.adr ? 0x80 : 0) | (fields.adrAckReq ? 0x40 : 0) | (fields.ack ? 0x20 : 0) | fOpts.length;
  new DataView(header.buffer).setUint16(6, fields.fCnt & 0xffff, true);
  const frmKey = fields.fPort === 0 ? keys.nwkSKey : keys.appSKey;
  const port =
    fields.fPort === undefined
      ? new Uint8Array()
      : concat(Uint8Array.of(fields.fPort), cipherFrmPayload(frmKey, dir, fields.devAddr, fields.fCnt, payload));
  const msg = concat(header, fOpts, port);
  return concat(msg, dataMic(keys.nwkSKey, dir, fields.devAddr, fields.fCnt, msg));
}

/** The MIC the frame should carry, given the full 32-bit counter (default: the 16 bits on air). */
export function computeDataMic(frame: DataFrame, nwkSKey: Uint8Array, fCnt = frame.fCnt): Uint8Array {
  const msg = frame.phyPayload.subarray(0, frame.phyPayload.length - MIC_LENGTH);
  return dataMic(nwkSKey, directionOf(frame.mtype), frame.devAddr, fCnt, msg);
}

export function verifyDataMic(frame: DataFrame, nwkSKey: Uint8Array, fCnt = frame.fCnt): boolean {
  return sameBytes(computeDataMic(frame, nwkSKey, fCnt), frame.mic);
}

/** Plaintext FRMPayload: FPort 0 (MAC commands) is keyed with NwkSKey, every other port with AppSKey. */
export function decryptFrmPayload(frame: DataFrame, keys: SessionKeys, fCnt = frame.fCnt): Uint8Array {
  const key = frame.fPort === 0 ? keys.nwkSKey : keys.appSKey;
  return cipherFrmPayload(key, directionOf(frame.mtype), frame.devAddr, fCnt, frame.frmPayload);
}
