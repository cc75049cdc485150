import { describe, expect, it } from 'vitest';
import { FrameError } from '../frame-error.ts';
import { parseTtsUplink } from './tts.ts';

const uplink = {
  end_device_ids: {
    device_id: 'bin-17',
    application_ids: { application_id: 'city-bins' },
    dev_eui: '24E124713B172430',
    dev_addr: '260B1234',
  },
  correlation_ids: ['as:up:01HZ'],
  received_at: '2026-11-20T10:00:01.5Z',
  uplink_message: {
    f_port: 85,
    f_cnt: 310,
    frm_payload: 'AXVcA4JECAQAAQ==',
    rx_metadata: [
      { gateway_ids: { gateway_id: 'gw-1', eui: 'B827EBFFFE000001' }, rssi: -101, snr: -3.2 },
      { gateway_ids: { gateway_id: 'gw-2', eui: 'B827EBFFFE000002' }, rssi: -88, snr: 4 },
    ],
    settings: { data_rate: { lora: { bandwidth: 125000, spreading_factor: 9 } }, frequency: '868300000' },
    version_ids: { brand_id: 'milesight-iot', model_id: 'em310-udl' },
    received_at: '2026-11-20T10:00:01.5Z',
  },
};

describe('The Things Stack v3 uplinks', () => {
  it('become the same uplink shape as ChirpStack events, model from version_ids', () => {
    const e = parseTtsUplink(Buffer.from(JSON.stringify(uplink)));
    expect(e).toMatchObject({
      type: 'up',
      fCnt: 310,
      fPort: 85,
      devAddr: '260b1234',
      frequency: 868_300_000,
      deduplicationId: 'as:up:01HZ',
      device: {
        devEui: '24e124713b172430',
        applicationId: 'city-bins',
        deviceName: 'bin-17',
        tags: { model: 'milesight-iot/em310-udl' },
      },
      rxInfo: [
        { gatewayId: 'b827ebfffe000001', rssi: -101, snr: -3.2 },
        { gatewayId: 'b827ebfffe000002', rssi: -88, snr: 4 },
      ],
    });
    expect(Buffer.from(e.data).toString('hex')).toBe('01755c03824408040001');
  });

  it('refuses a message without uplink_message', () => {
    const { uplink_message: _, ...rest } = uplink;
    expect(() => parseTtsUplink(Buffer.from(JSON.stringify(rest)))).toThrow(FrameError);
  });
});
