import { readFileSync } from 'node:fs';
import * as loraPacketModule from 'lora-packet';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { Random } from '../random.ts';
import { fromHex, toHex } from './bytes.ts';
import { cipherFrmPayload, dataMic, deriveSessionKeys10 } from './crypto.ts';
import { LorawanError } from './errors.ts';
import {
  buildDataFrame,
  computeDataMic,
  type DataFrame,
  type DataMType,
  decryptFrmPayload,
  type JoinRequestFrame,
  type PhyFrame,
  parsePhyPayload,
  verifyDataMic,
} from './frames.ts';
import {
  buildJoinAccept,
  buildJoinRequest,
  openJoinAccept,
  readJoinAccept,
  verifyJoinAcceptMic,
  verifyJoinRequestMic,
} from './join.ts';

// lora-packet's typings describe `exports.default`, but the package then replaces module.exports
// with that same object, so under Node's ESM interop the default import is already the API.
const loraPacket = loraPacketModule.default as unknown as typeof loraPacketModule.default.default;

const repoRoot = new URL('../../../', import.meta.url);
const vectors = parse(readFileSync(new URL('vectors/lorawan/frames.yaml', repoRoot), 'utf8')) as Vectors;

interface DataVector {
  id: string;
  phy_payload_hex: string;
  mtype: DataMType;
  nwk_s_key: string;
  app_s_key: string;
  dev_addr: string;
  fctrl: number;
  fcnt: number;
  fopts_hex: string;
  fport: number;
  frm_payload_hex: string;
  mic: string;
  mic_valid: boolean;
  decrypted_frm_payload_hex: string;
}

interface Vectors {
  data_frames: DataVector[];
  negative_cases: {
    id: string;
    phy_payload_hex: string;
    nwk_s_key?: string;
    app_s_key?: string;
    expected_computed_mic?: string;
    mic_valid?: boolean;
    decrypted_frm_payload_hex?: string;
  }[];
  parse_only: ({ id: string; phy_payload_hex: string; mtype: string; mic?: string } & Record<string, unknown>)[];
  join_requests: {
    id: string;
    phy_payload_hex: string;
    app_key: string;
    app_eui?: string;
    join_eui?: string;
    dev_eui: string;
    dev_nonce?: number;
    dev_nonce_hex?: string;
    mic: string;
    mic_valid: boolean;
  }[];
  join_accepts: {
    id: string;
    phy_payload_hex: string;
    app_key: string;
    app_nonce?: string;
    join_nonce?: number;
    net_id: string;
    dev_addr: string;
    dl_settings?: number;
    rx_delay?: number;
    cflist_hex?: string;
    mic: string;
    mic_valid: boolean;
    decrypted_macpayload_and_mic_hex?: string;
    decrypted_phy_payload_hex?: string;
  }[];
  session_keys: {
    id: string;
    app_key: string;
    app_nonce: string;
    net_id: string;
    dev_nonce_hex: string;
    expected_nwk_s_key: string;
    expected_app_s_key: string;
  }[];
  primitives: ({ id: string; key: string; dev_addr: string; fcnt: number } & Record<string, string>)[];
}

/** Hex from the YAML; an unquoted all-digit value would arrive as a number and must not slip by. */
function bytes(hex: unknown): Uint8Array {
  if (typeof hex !== 'string') throw new TypeError(`expected a hex string, got ${String(hex)}`);
  return fromHex(hex, hex.length / 2, 'vector hex');
}

const key = bytes;

function asData(frame: PhyFrame): DataFrame {
  if (frame.mtype === 'join_request' || frame.mtype === 'join_accept' || frame.mtype === 'proprietary') {
    throw new Error(`expected a data frame, got ${frame.mtype}`);
  }
  return frame;
}

function asJoinRequest(frame: PhyFrame): JoinRequestFrame {
  if (frame.mtype !== 'join_request') throw new Error(`expected a join-request, got ${frame.mtype}`);
  return frame;
}

describe('data frames', () => {
  describe.each(vectors.data_frames)('$id', (v) => {
    const keys = { nwkSKey: key(v.nwk_s_key), appSKey: key(v.app_s_key) };
    const frame = asData(parsePhyPayload(bytes(v.phy_payload_hex)));

    it('parses every header field', () => {
      expect(frame.mtype).toBe(v.mtype);
      expect(frame.devAddr).toBe(v.dev_addr);
      expect(frame.fCtrl).toBe(v.fctrl);
      expect(frame.fCnt).toBe(v.fcnt);
      expect(toHex(frame.fOpts)).toBe(v.fopts_hex);
      expect(frame.fPort).toBe(v.fport);
      expect(toHex(frame.frmPayload)).toBe(v.frm_payload_hex);
      expect(toHex(frame.mic)).toBe(v.mic);
    });

    it('verifies the MIC with NwkSKey', () => {
      expect(verifyDataMic(frame, keys.nwkSKey)).toBe(v.mic_valid);
    });

    it('decrypts FRMPayload', () => {
      expect(toHex(decryptFrmPayload(frame, keys))).toBe(v.decrypted_frm_payload_hex);
    });

    it('builds the same PHYPayload from the plaintext', () => {
      const built = buildDataFrame(
        {
          mtype: v.mtype,
          devAddr: v.dev_addr,
          fCnt: v.fcnt,
          fPort: v.fport,
          payload: bytes(v.decrypted_frm_payload_hex),
          fOpts: bytes(v.fopts_hex),
          adr: (v.fctrl & 0x80) !== 0,
          adrAckReq: (v.fctrl & 0x40) !== 0,
          ack: (v.fctrl & 0x20) !== 0,
        },
        keys,
      );
      expect(toHex(built)).toBe(v.phy_payload_hex);
    });
  });
});

describe('negative cases', () => {
  it.each(vectors.negative_cases)('$id', (v) => {
    const frame = asData(parsePhyPayload(bytes(v.phy_payload_hex)));
    if (v.nwk_s_key !== undefined) {
      if (v.expected_computed_mic !== undefined) {
        expect(toHex(computeDataMic(frame, key(v.nwk_s_key)))).toBe(v.expected_computed_mic);
      }
      expect(verifyDataMic(frame, key(v.nwk_s_key))).toBe(v.mic_valid);
    }
    if (v.app_s_key !== undefined) {
      const keys = { appSKey: key(v.app_s_key), nwkSKey: new Uint8Array(16) };
      expect(toHex(decryptFrmPayload(frame, keys))).toBe(v.decrypted_frm_payload_hex);
    }
  });
});

describe('parse only', () => {
  it.each(vectors.parse_only)('$id', (v) => {
    const frame = parsePhyPayload(bytes(v.phy_payload_hex));
    expect(frame.mtype).toBe(v.mtype);
    switch (frame.mtype) {
      case 'proprietary':
        expect(toHex(frame.payload)).toBe(v.payload_hex);
        break;
      case 'join_request':
        expect(frame).toMatchObject({ joinEui: v.join_eui, devEui: v.dev_eui, devNonce: v.dev_nonce });
        expect(toHex(frame.mic)).toBe(v.mic);
        break;
      default: {
        const data = asData(frame);
        expect(data).toMatchObject({ devAddr: v.dev_addr, fCtrl: v.fctrl, fCnt: v.fcnt, fPort: v.fport });
        expect(toHex(data.fOpts)).toBe(v.fopts_hex);
        expect(toHex(data.frmPayload)).toBe(v.frm_payload_hex);
        expect(toHex(data.mic)).toBe(v.mic);
      }
    }
  });
});

describe('join-requests', () => {
  describe.each(vectors.join_requests)('$id', (v) => {
    const joinEui = v.join_eui ?? v.app_eui ?? '';
    const devNonce = v.dev_nonce ?? Number.parseInt(v.dev_nonce_hex ?? '', 16);
    const frame = asJoinRequest(parsePhyPayload(bytes(v.phy_payload_hex)));

    it('parses JoinEUI, DevEUI, DevNonce and MIC', () => {
      expect(frame).toMatchObject({ joinEui, devEui: v.dev_eui, devNonce });
      expect(toHex(frame.mic)).toBe(v.mic);
    });

    it('verifies the MIC with AppKey', () => {
      expect(verifyJoinRequestMic(frame, key(v.app_key))).toBe(v.mic_valid);
    });

    it('builds the same PHYPayload', () => {
      expect(toHex(buildJoinRequest({ joinEui, devEui: v.dev_eui, devNonce }, key(v.app_key)))).toBe(v.phy_payload_hex);
    });
  });
});

describe('join-accepts', () => {
  describe.each(vectors.join_accepts)('$id', (v) => {
    const appKey = key(v.app_key);
    const onAir = v.decrypted_macpayload_and_mic_hex !== undefined || v.decrypted_phy_payload_hex !== undefined;
    const accept = onAir ? openJoinAccept(bytes(v.phy_payload_hex), appKey) : readJoinAccept(bytes(v.phy_payload_hex));
    const fields = {
      joinNonce: v.join_nonce ?? Number.parseInt(v.app_nonce ?? '', 16),
      netId: v.net_id,
      devAddr: v.dev_addr,
      dlSettings: v.dl_settings ?? 0,
      rxDelay: v.rx_delay ?? 0,
      cfList: bytes(v.cflist_hex ?? ''),
    };

    it('decrypts with AppKey', () => {
      if (v.decrypted_macpayload_and_mic_hex !== undefined) {
        expect(toHex(accept.plaintext.subarray(1))).toBe(v.decrypted_macpayload_and_mic_hex);
      }
      if (v.decrypted_phy_payload_hex !== undefined) expect(toHex(accept.plaintext)).toBe(v.decrypted_phy_payload_hex);
    });

    it('reads the fields and verifies the MIC', () => {
      expect(accept).toMatchObject({ ...fields, cfList: expect.any(Uint8Array) });
      expect(toHex(accept.cfList)).toBe(v.cflist_hex ?? '');
      expect(toHex(accept.mic)).toBe(v.mic);
      expect(verifyJoinAcceptMic(accept, appKey)).toBe(v.mic_valid);
    });

    it('builds the same frame from the fields', () => {
      const built = buildJoinAccept(fields, appKey);
      if (onAir) expect(toHex(built)).toBe(v.phy_payload_hex);
      else expect(toHex(openJoinAccept(built, appKey).plaintext)).toBe(v.phy_payload_hex);
    });
  });
});

describe('session keys', () => {
  it.each(vectors.session_keys)('$id', (v) => {
    const keys = deriveSessionKeys10(key(v.app_key), {
      joinNonce: Number.parseInt(v.app_nonce, 16),
      netId: v.net_id,
      devNonce: Number.parseInt(v.dev_nonce_hex, 16),
    });
    expect(toHex(keys.nwkSKey)).toBe(v.expected_nwk_s_key);
    expect(toHex(keys.appSKey)).toBe(v.expected_app_s_key);
  });
});

describe('primitives', () => {
  const byId = new Map(vectors.primitives.map((v) => [v.id, v]));

  it('ttn-frmpayload-encrypt: FRMPayload keystream in both directions', () => {
    const v = byId.get('ttn-frmpayload-encrypt');
    if (!v) expect.fail('vector missing');
    const cipher = (dir: 'up' | 'down') =>
      toHex(cipherFrmPayload(key(v.key), dir, v.dev_addr, v.fcnt, bytes(v.plaintext_hex)));
    expect(cipher('up')).toBe(v.uplink_ciphertext_hex);
    expect(cipher('down')).toBe(v.downlink_ciphertext_hex);
  });

  it('ttn-legacy-downlink-mic: MIC with the downlink B0 over any message', () => {
    const v = byId.get('ttn-legacy-downlink-mic');
    if (!v) expect.fail('vector missing');
    expect(toHex(dataMic(key(v.key), 'down', v.dev_addr, v.fcnt, bytes(v.msg_hex)))).toBe(v.mic);
  });

  it('covers every primitive vector', () => {
    expect([...byId.keys()].sort()).toEqual(['ttn-frmpayload-encrypt', 'ttn-legacy-downlink-mic']);
  });
});

describe('agrees with lora-packet on random frames', () => {
  const rng = new Random(0x10a4a);
  const randomBytes = (n: number) => Uint8Array.from({ length: n }, () => rng.int(0, 255));
  const randomHex = (n: number) => toHex(randomBytes(n));

  it('data frames: fields, MIC and payload', () => {
    for (let i = 0; i < 200; i++) {
      const keys = { nwkSKey: randomBytes(16), appSKey: randomBytes(16) };
      const fields = {
        mtype: rng.pick(['unconfirmed_data_up', 'confirmed_data_up'] as const),
        devAddr: randomHex(4),
        fCnt: rng.int(0, 0xffff),
        fPort: rng.int(1, 223),
        payload: randomBytes(rng.int(0, 51)),
        fOpts: randomBytes(rng.int(0, 15)),
        adr: rng.chance(0.5),
      };
      const theirs = loraPacket.fromWire(Buffer.from(buildDataFrame(fields, keys)));
      expect(theirs.DevAddr?.toString('hex')).toBe(fields.devAddr);
      expect(theirs.getFCnt()).toBe(fields.fCnt);
      expect(theirs.getFPort()).toBe(fields.fPort);
      expect(theirs.getFCtrlADR()).toBe(fields.adr);
      expect(loraPacket.verifyMIC(theirs, Buffer.from(keys.nwkSKey))).toBe(true);
      const plaintext = loraPacket.decrypt(theirs, Buffer.from(keys.appSKey), Buffer.from(keys.nwkSKey));
      expect(toHex(plaintext)).toBe(toHex(fields.payload));
    }
  });

  it('join: request MIC, accept decryption and MIC, session keys', () => {
    for (let i = 0; i < 50; i++) {
      const appKey = randomBytes(16);
      const request = { joinEui: randomHex(8), devEui: randomHex(8), devNonce: rng.int(0, 0xffff) };
      const theirRequest = loraPacket.fromWire(Buffer.from(buildJoinRequest(request, appKey)));
      expect(loraPacket.verifyMIC(theirRequest, undefined, Buffer.from(appKey))).toBe(true);

      const accept = {
        joinNonce: rng.int(0, 0xffffff),
        netId: randomHex(3),
        devAddr: randomHex(4),
        dlSettings: rng.int(0, 0x7f),
        rxDelay: rng.int(0, 15),
        cfList: rng.chance(0.5) ? randomBytes(16) : new Uint8Array(),
      };
      const theirAccept = loraPacket.fromWire(Buffer.from(buildJoinAccept(accept, appKey)));
      const decrypted = loraPacket.fromWire(loraPacket.decryptJoinAccept(theirAccept, Buffer.from(appKey)));
      expect(decrypted.DevAddr?.toString('hex')).toBe(accept.devAddr);
      expect(loraPacket.verifyMIC(decrypted, undefined, Buffer.from(appKey))).toBe(true);

      const ours = deriveSessionKeys10(appKey, { ...accept, devNonce: request.devNonce });
      const nonce = (value: number, n: number) => Buffer.from(value.toString(16).padStart(2 * n, '0'), 'hex');
      const theirs = loraPacket.generateSessionKeys10(
        Buffer.from(appKey),
        Buffer.from(accept.netId, 'hex'),
        nonce(accept.joinNonce, 3),
        nonce(request.devNonce, 2),
      );
      expect(toHex(ours.nwkSKey)).toBe(theirs.NwkSKey.toString('hex'));
      expect(toHex(ours.appSKey)).toBe(theirs.AppSKey.toString('hex'));
    }
  });
});

describe('rejects what cannot be a LoRaWAN 1.0.x frame', () => {
  function codeOf(action: () => unknown): string | undefined {
    try {
      action();
    } catch (err) {
      if (err instanceof LorawanError) return err.code;
      throw err;
    }
    return undefined;
  }

  it.each([
    ['a data frame shorter than its header and MIC', '40f17dbe490002', 'BAD_LENGTH'],
    ['FOptsLen running into the MIC', '40f17dbe490f02002b11ff0d', 'BAD_LENGTH'],
    ['a join-request with a missing byte', '0039363463336913aa05693574323831330489c65b13', 'BAD_LENGTH'],
    ['a 1.1 rejoin-request', 'c000', 'UNSUPPORTED_FRAME'],
    ['LoRaWAN major version 1', '41f17dbe4900020001954378762b11ff0d', 'UNSUPPORTED_FRAME'],
  ])('%s', (_, hex, code) => {
    expect(codeOf(() => parsePhyPayload(Buffer.from(hex, 'hex')))).toBe(code);
  });

  it('refuses more than 15 FOpts bytes and a payload without FPort', () => {
    const keys = { nwkSKey: new Uint8Array(16), appSKey: new Uint8Array(16) };
    const base = { mtype: 'unconfirmed_data_up', devAddr: '01020304', fCnt: 1 } as const;
    expect(codeOf(() => buildDataFrame({ ...base, fPort: 1, fOpts: new Uint8Array(16) }, keys))).toBe('BAD_FIELD');
    expect(codeOf(() => buildDataFrame({ ...base, payload: Uint8Array.of(1) }, keys))).toBe('BAD_FIELD');
  });
});
