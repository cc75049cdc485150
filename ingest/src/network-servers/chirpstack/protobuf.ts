import common from '@chirpstack/chirpstack-api/common/common_pb.js';
import integration from '@chirpstack/chirpstack-api/integration/integration_pb.js';
import { FrameError } from '../../frame-error.ts';
import { float32 } from '../float32.ts';
import { eui } from '../json-fields.ts';
import type { ChirpStackEvent, DeviceRef, EventType } from './events.ts';

interface Timestamp {
  getSeconds(): number;
  getNanos(): number;
}

interface HasDeviceInfo {
  getTime(): Timestamp | undefined;
  getDeviceInfo(): integration.DeviceInfo | undefined;
}

/** Parses a ChirpStack v4 event published with `json = false` (`integration.*Event` Protobuf). */
export function parseProtobufEvent(type: EventType, payload: Uint8Array): ChirpStackEvent {
  try {
    return fromMessage(type, payload);
  } catch (err) {
    if (err instanceof FrameError) throw err;
    throw new FrameError('unparseable', `invalid Protobuf ${type} event: ${(err as Error).message}`);
  }
}

function fromMessage(type: EventType, payload: Uint8Array): ChirpStackEvent {
  switch (type) {
    case 'up': {
      const m = integration.UplinkEvent.deserializeBinary(payload);
      return {
        type,
        ...base(m),
        deduplicationId: m.getDeduplicationId(),
        devAddr: m.getDevAddr(),
        fCnt: m.getFCnt(),
        fPort: m.getFPort(),
        dr: m.getDr(),
        adr: m.getAdr(),
        confirmed: m.getConfirmed(),
        data: m.getData_asU8(),
        rxInfo: m
          .getRxInfoList()
          .map((rx) => ({ gatewayId: rx.getGatewayId(), rssi: rx.getRssi(), snr: float32(rx.getSnr()) })),
        frequency: m.getTxInfo()?.getFrequency() ?? 0,
      };
    }
    case 'status': {
      const m = integration.StatusEvent.deserializeBinary(payload);
      return {
        type,
        ...base(m),
        deduplicationId: m.getDeduplicationId(),
        margin: m.getMargin(),
        externalPowerSource: m.getExternalPowerSource(),
        batteryLevelUnavailable: m.getBatteryLevelUnavailable(),
        batteryLevel: float32(m.getBatteryLevel()),
      };
    }
    case 'join': {
      const m = integration.JoinEvent.deserializeBinary(payload);
      return { type, ...base(m), deduplicationId: m.getDeduplicationId(), devAddr: m.getDevAddr() };
    }
    case 'ack': {
      const m = integration.AckEvent.deserializeBinary(payload);
      return {
        type,
        ...base(m),
        queueItemId: m.getQueueItemId(),
        acknowledged: m.getAcknowledged(),
        fCntDown: m.getFCntDown(),
      };
    }
    case 'txack': {
      const m = integration.TxAckEvent.deserializeBinary(payload);
      return {
        type,
        ...base(m),
        downlinkId: m.getDownlinkId(),
        queueItemId: m.getQueueItemId(),
        fCntDown: m.getFCntDown(),
        gatewayId: m.getGatewayId(),
      };
    }
    case 'log': {
      const m = integration.LogEvent.deserializeBinary(payload);
      return {
        type,
        ...base(m),
        level: enumName(integration.LogLevel, m.getLevel()),
        code: enumName(integration.LogCode, m.getCode()),
        description: m.getDescription(),
        context: Object.fromEntries(m.getContextMap().toArray()),
      };
    }
    case 'location': {
      const m = integration.LocationEvent.deserializeBinary(payload);
      const loc = m.getLocation();
      return {
        type,
        ...base(m),
        deduplicationId: m.getDeduplicationId(),
        latitude: loc?.getLatitude() ?? 0,
        longitude: loc?.getLongitude() ?? 0,
        altitude: loc?.getAltitude() ?? 0,
        source: enumName(common.LocationSource, loc?.getSource() ?? 0),
        accuracy: float32(loc?.getAccuracy() ?? 0),
      };
    }
  }
}

function base(m: HasDeviceInfo): { time: Date; device: DeviceRef } {
  const ts = m.getTime();
  if (!ts) throw new FrameError('invalid_event', 'time: missing');
  const d = m.getDeviceInfo();
  return {
    time: new Date(ts.getSeconds() * 1000 + Math.floor(ts.getNanos() / 1e6)),
    device: {
      devEui: eui(d?.getDevEui() ?? '', 'deviceInfo.devEui'),
      applicationId: d?.getApplicationId() ?? '',
      deviceName: d?.getDeviceName() ?? '',
      deviceProfileName: d?.getDeviceProfileName() ?? '',
      tags: Object.fromEntries(d?.getTagsMap().toArray() ?? []),
    },
  };
}

function enumName(values: object, value: number): string {
  for (const [name, v] of Object.entries(values)) if (v === value) return name;
  return String(value);
}
