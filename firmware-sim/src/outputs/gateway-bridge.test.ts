import gw from '@chirpstack/chirpstack-api/gw/gw_pb.js';
import { describe, expect, it } from 'vitest';
import { buildDataFrame, decryptFrmPayload, parsePhyPayload, verifyDataMic } from '../lorawan/frames.ts';
import { type GatewayReception, gatewayUplink } from './gateway-bridge.ts';

const reception: GatewayReception = {
  gatewayId: '0016c001f153a14c',
  frequency: 868_300_000,
  bandwidth: 125_000,
  spreadingFactor: 9,
  codeRate: '4/5',
  rssi: -97,
  snr: 6.5,
  time: new Date('2025-03-01T10:15:30.250Z'),
  tmst: 3_512_345_678,
  uplinkId: 40_417,
  channel: 1,
};

const keys = { nwkSKey: new Uint8Array(16).fill(0x11), appSKey: new Uint8Array(16).fill(0x22) };
const payload = Uint8Array.of(0x01, 0x75, 0x5c, 0x03, 0x82, 0x44, 0x08);
const phyPayload = buildDataFrame(
  { mtype: 'unconfirmed_data_up', devAddr: '260b1234', fCnt: 70_000, fPort: 85, payload },
  keys,
);

describe('gateway-bridge uplink', () => {
  const message = gatewayUplink(phyPayload, reception);
  const frame = gw.UplinkFrame.deserializeBinary(message.payload);

  it('is published on the EU868 gateway event topic', () => {
    expect(message.topic).toBe('eu868/gateway/0016c001f153a14c/event/up');
    expect(gatewayUplink(phyPayload, reception, 'eu433').topic).toBe('eu433/gateway/0016c001f153a14c/event/up');
  });

  it('carries the PHYPayload, which ChirpStack can check and decrypt with the session keys', () => {
    const carried = parsePhyPayload(frame.getPhyPayload_asU8());
    if (carried.mtype !== 'unconfirmed_data_up') expect.fail(`decoded a ${carried.mtype}`);
    expect(verifyDataMic(carried, keys.nwkSKey, 70_000)).toBe(true);
    expect([...decryptFrmPayload(carried, keys, 70_000)]).toEqual([...payload]);
  });

  it('describes the reception in rxInfo', () => {
    const rx = frame.getRxInfo();
    expect(rx?.getGatewayId()).toBe(reception.gatewayId);
    expect(rx?.getUplinkId()).toBe(reception.uplinkId);
    expect(rx?.getRssi()).toBe(-97);
    expect(rx?.getSnr()).toBeCloseTo(6.5, 5);
    expect(rx?.getChannel()).toBe(1);
    expect(rx?.getGwTime()?.toDate().toISOString()).toBe('2025-03-01T10:15:30.250Z');
    expect(Buffer.from(rx?.getContext_asU8() ?? []).readUInt32BE(0)).toBe(reception.tmst);
    expect(rx?.getCrcStatus()).toBe(gw.CRCStatus.CRC_OK);
  });

  it('describes the LoRa modulation in txInfo', () => {
    const tx = frame.getTxInfo();
    const lora = tx?.getModulation()?.getLora();
    expect(tx?.getFrequency()).toBe(868_300_000);
    expect(lora?.getBandwidth()).toBe(125_000);
    expect(lora?.getSpreadingFactor()).toBe(9);
    expect(lora?.getCodeRate()).toBe(gw.CodeRate.CR_4_5);
    expect(lora?.getPolarizationInversion()).toBe(false);
  });

  it('refuses a gateway id ChirpStack would not route', () => {
    expect(() => gatewayUplink(phyPayload, { ...reception, gatewayId: 'GW-1' })).toThrow(RangeError);
  });
});
