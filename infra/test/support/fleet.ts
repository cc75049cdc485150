import { eventTopic, type SimDevice } from '@city/firmware-sim';

/** A test device on a given ChirpStack application, numbered so devEuis never collide. */
export function testDevice(applicationId: string, n: number, tags: Record<string, string> = {}): SimDevice {
  const hex = n.toString(16).padStart(8, '0');
  return {
    devEui: `70b3d5${hex}ff`.slice(0, 16).padEnd(16, '0'),
    devAddr: hex,
    applicationId,
    name: `test-${n}`,
    profileName: 'test',
    tags,
  };
}

/** EM310-UDL payload: battery %, distance mm, tilt flag (Milesight channel format). */
export function em310Payload(battery: number, distanceMm: number, tilt = false): Uint8Array {
  return Uint8Array.from([
    0x01,
    0x75,
    battery,
    0x03,
    0x82,
    distanceMm & 0xff,
    distanceMm >> 8,
    0x04,
    0x00,
    tilt ? 1 : 0,
  ]);
}

export { eventTopic };
