import { randomUUID } from 'node:crypto';
import gw from '@chirpstack/chirpstack-api/gw/gw_pb.js';
import integration from '@chirpstack/chirpstack-api/integration/integration_pb.js';
import timestamp from 'google-protobuf/google/protobuf/timestamp_pb.js';

/** How ChirpStack marshals integration events: `json = true` or Protobuf. */
export type Marshaler = 'json' | 'protobuf';

export interface SimDevice {
  devEui: string;
  devAddr: string;
  applicationId: string;
  name: string;
  profileName: string;
  tags: Record<string, string>;
}

export interface SimUplink {
  device: SimDevice;
  time: Date;
  fCnt: number;
  fPort: number;
  data: Uint8Array;
  gatewayId: string;
  rssi: number;
  snr: number;
  frequency: number;
  dr: number;
  spreadingFactor: number;
  deduplicationId?: string;
}

export const TENANT = { id: '52f14cd4-c6f1-4fbd-8f87-4025e1d49242', name: 'City' };

/** The topic ChirpStack publishes an event on. */
export function eventTopic(device: SimDevice, event: string): string {
  return `application/${device.applicationId}/device/${device.devEui}/event/${event}`;
}

/**
 * An `up` event as ChirpStack v4 would publish it, field for field. Protobuf JSON mapping
 * omits default values (fCnt 0, adr false...), so the JSON form does too.
 */
export function uplinkEvent(u: SimUplink, marshaler: Marshaler): Uint8Array {
  const dedup = u.deduplicationId ?? randomUUID();
  if (marshaler === 'json') {
    const event: Record<string, unknown> = {
      deduplicationId: dedup,
      time: u.time.toISOString(),
      deviceInfo: deviceInfoJson(u.device),
      devAddr: u.device.devAddr,
      dr: u.dr || undefined,
      fCnt: u.fCnt || undefined,
      fPort: u.fPort || undefined,
      data: Buffer.from(u.data).toString('base64'),
      rxInfo: [
        {
          gatewayId: u.gatewayId,
          uplinkId: (u.fCnt * 7919) % 4294967295,
          nsTime: u.time.toISOString(),
          rssi: u.rssi,
          snr: u.snr,
          context: Buffer.from(u.time.getTime().toString(16), 'hex').toString('base64'),
          metadata: { region_name: 'eu868', region_common_name: 'EU868' },
        },
      ],
      txInfo: {
        frequency: u.frequency,
        modulation: { lora: { bandwidth: 125000, spreadingFactor: u.spreadingFactor, codeRate: 'CR_4_5' } },
      },
    };
    return Buffer.from(JSON.stringify(event));
  }
  const m = new integration.UplinkEvent();
  m.setDeduplicationId(dedup);
  m.setTime(protoTime(u.time));
  m.setDeviceInfo(deviceInfoProto(u.device));
  m.setDevAddr(u.device.devAddr);
  m.setDr(u.dr);
  m.setFCnt(u.fCnt);
  m.setFPort(u.fPort);
  m.setData(u.data);
  const rx = new gw.UplinkRxInfo();
  rx.setGatewayId(u.gatewayId);
  rx.setUplinkId((u.fCnt * 7919) % 4294967295);
  rx.setNsTime(protoTime(u.time));
  rx.setRssi(u.rssi);
  rx.setSnr(u.snr);
  m.setRxInfoList([rx]);
  const tx = new gw.UplinkTxInfo();
  tx.setFrequency(u.frequency);
  const lora = new gw.LoraModulationInfo();
  lora.setBandwidth(125000);
  lora.setSpreadingFactor(u.spreadingFactor);
  const modulation = new gw.Modulation();
  modulation.setLora(lora);
  tx.setModulation(modulation);
  m.setTxInfo(tx);
  return m.serializeBinary();
}

export interface SimStatus {
  device: SimDevice;
  time: Date;
  margin: number;
  batteryLevel: number;
}

export function statusEvent(s: SimStatus, marshaler: Marshaler): Uint8Array {
  if (marshaler === 'json') {
    return Buffer.from(
      JSON.stringify({
        deduplicationId: randomUUID(),
        time: s.time.toISOString(),
        deviceInfo: deviceInfoJson(s.device),
        margin: s.margin || undefined,
        batteryLevel: s.batteryLevel || undefined,
      }),
    );
  }
  const m = new integration.StatusEvent();
  m.setDeduplicationId(randomUUID());
  m.setTime(protoTime(s.time));
  m.setDeviceInfo(deviceInfoProto(s.device));
  m.setMargin(s.margin);
  m.setBatteryLevel(s.batteryLevel);
  return m.serializeBinary();
}

export function joinEvent(device: SimDevice, time: Date, marshaler: Marshaler): Uint8Array {
  if (marshaler === 'json') {
    return Buffer.from(
      JSON.stringify({
        deduplicationId: randomUUID(),
        time: time.toISOString(),
        deviceInfo: deviceInfoJson(device),
        devAddr: device.devAddr,
      }),
    );
  }
  const m = new integration.JoinEvent();
  m.setDeduplicationId(randomUUID());
  m.setTime(protoTime(time));
  m.setDeviceInfo(deviceInfoProto(device));
  m.setDevAddr(device.devAddr);
  return m.serializeBinary();
}

function deviceInfoJson(d: SimDevice) {
  return {
    tenantId: TENANT.id,
    tenantName: TENANT.name,
    applicationId: d.applicationId,
    applicationName: 'city',
    deviceProfileId: '14855bf7-d10d-4aee-b618-ebfcb64dc7ad',
    deviceProfileName: d.profileName,
    deviceName: d.name,
    devEui: d.devEui,
    tags: d.tags,
  };
}

function deviceInfoProto(d: SimDevice): integration.DeviceInfo {
  const info = new integration.DeviceInfo();
  info.setTenantId(TENANT.id);
  info.setTenantName(TENANT.name);
  info.setApplicationId(d.applicationId);
  info.setApplicationName('city');
  info.setDeviceProfileName(d.profileName);
  info.setDeviceName(d.name);
  info.setDevEui(d.devEui);
  for (const [k, v] of Object.entries(d.tags)) info.getTagsMap().set(k, v);
  return info;
}

function protoTime(date: Date): timestamp.Timestamp {
  const ts = new timestamp.Timestamp();
  ts.setSeconds(Math.floor(date.getTime() / 1000));
  ts.setNanos((date.getTime() % 1000) * 1e6);
  return ts;
}
