/** ChirpStack v4 integration events as ingest uses them, whichever marshaler carried them. */

export const EVENT_TYPES = ['up', 'status', 'join', 'ack', 'txack', 'log', 'location'] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export interface DeviceRef {
  devEui: string;
  applicationId: string;
  deviceName: string;
  deviceProfileName: string;
  tags: Record<string, string>;
}

export interface RxInfo {
  gatewayId: string;
  rssi: number;
  snr: number;
}

interface EventBase {
  time: Date;
  device: DeviceRef;
}

export interface UplinkEvent extends EventBase {
  type: 'up';
  deduplicationId: string;
  devAddr: string;
  fCnt: number;
  fPort: number;
  dr: number;
  adr: boolean;
  confirmed: boolean;
  data: Uint8Array;
  rxInfo: RxInfo[];
  frequency: number;
}

export interface StatusEvent extends EventBase {
  type: 'status';
  deduplicationId: string;
  margin: number;
  externalPowerSource: boolean;
  batteryLevelUnavailable: boolean;
  batteryLevel: number;
}

export interface JoinEvent extends EventBase {
  type: 'join';
  deduplicationId: string;
  devAddr: string;
}

export interface AckEvent extends EventBase {
  type: 'ack';
  queueItemId: string;
  acknowledged: boolean;
  fCntDown: number;
}

export interface TxAckEvent extends EventBase {
  type: 'txack';
  downlinkId: number;
  queueItemId: string;
  fCntDown: number;
  gatewayId: string;
}

export interface LogEvent extends EventBase {
  type: 'log';
  level: string;
  code: string;
  description: string;
  context: Record<string, string>;
}

export interface LocationEvent extends EventBase {
  type: 'location';
  deduplicationId: string;
  latitude: number;
  longitude: number;
  altitude: number;
  source: string;
  accuracy: number;
}

export type ChirpStackEvent = UplinkEvent | StatusEvent | JoinEvent | AckEvent | TxAckEvent | LogEvent | LocationEvent;

export function isEventType(value: string): value is EventType {
  return (EVENT_TYPES as readonly string[]).includes(value);
}

/** The best gateway of an uplink (highest RSSI), whose radio figures describe the device's link. */
export function bestRx(rx: readonly RxInfo[]): RxInfo | undefined {
  let best: RxInfo | undefined;
  for (const r of rx) if (!best || r.rssi > best.rssi) best = r;
  return best;
}
