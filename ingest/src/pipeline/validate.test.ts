import { describe, expect, it } from 'vitest';
import { FrameError } from '../frame-error.ts';
import type { ChirpStackEvent, UplinkEvent } from '../network-servers/chirpstack/events.ts';
import { checkMetrics, checkText, validateEvent } from './validate.ts';

const NOW = Date.parse('2026-11-20T10:00:00Z');
const WINDOW = { minMs: Date.parse('2015-01-01T00:00:00Z'), maxAheadMs: 86_400_000 };

function uplink(changes: Partial<UplinkEvent> = {}): UplinkEvent {
  return {
    type: 'up',
    time: new Date(NOW),
    device: { devEui: '0102030405060708', applicationId: 'app', deviceName: 'bin 7', deviceProfileName: '', tags: {} },
    deduplicationId: 'd-1',
    devAddr: '01020304',
    fCnt: 7,
    fPort: 85,
    dr: 5,
    adr: true,
    confirmed: false,
    data: new Uint8Array([1]),
    rxInfo: [{ gatewayId: '0016c001f153a14c', rssi: -100, snr: -0.6 }],
    frequency: 868_100_000,
    ...changes,
  };
}

/** The detail of the `invalid_value` a bad event is refused with. */
function refusal(event: ChirpStackEvent): string {
  try {
    validateEvent(event, WINDOW, NOW);
  } catch (err) {
    expect(err).toBeInstanceOf(FrameError);
    expect((err as FrameError).reason).toBe('invalid_value');
    return (err as FrameError).message;
  }
  throw new Error('the event passed');
}

describe('validateEvent', () => {
  it('takes a good uplink, and one dated within the window ahead', () => {
    expect(() => validateEvent(uplink(), WINDOW, NOW)).not.toThrow();
    expect(() => validateEvent(uplink({ time: new Date(NOW + 3_600_000) }), WINDOW, NOW)).not.toThrow();
  });

  it.each([
    ['dr', { dr: 40_000 }],
    ['fCnt', { fCnt: 2 ** 32 }],
    ['fPort', { fPort: 256 }],
    ['txInfo.frequency', { frequency: 2 ** 40 }],
    ['rxInfo[0].snr', { rxInfo: [{ gatewayId: 'g', rssi: -90, snr: Number.NaN }] }],
    ['rxInfo[0].rssi', { rxInfo: [{ gatewayId: 'g', rssi: Number.NEGATIVE_INFINITY, snr: 1 }] }],
    ['time', { time: new Date('-100000-01-01T00:00:00Z') }],
    ['time', { time: new Date(NOW + 2 * 86_400_000) }],
    ['time', { time: new Date(Number.NaN) }],
  ] as [string, Partial<UplinkEvent>][])('refuses %s out of range, naming it', (field, changes) => {
    expect(refusal(uplink(changes))).toMatch(new RegExp(`^${field.replace(/[[\].]/g, '\\$&')}: `));
  });

  it('refuses NUL, invalid UTF-8 and overlong texts in names, tags and ids', () => {
    const device = uplink().device;
    expect(refusal(uplink({ device: { ...device, deviceName: 'bin\0' } }))).toMatch(
      /^deviceInfo.deviceName: holds NUL/,
    );
    expect(refusal(uplink({ device: { ...device, tags: { model: 'a\uFFFDb' } } }))).toMatch(/^deviceInfo.tags.model:/);
    expect(refusal(uplink({ device: { ...device, tags: { 'o\0': 'x' } } }))).toMatch(/^deviceInfo.tags key:/);
    expect(refusal(uplink({ devAddr: '\uD800' }))).toMatch(/^devAddr:/);
    expect(refusal(uplink({ deduplicationId: 'x'.repeat(10_000) }))).toMatch(/^deduplicationId: 10000 characters/);
  });

  it('keeps a paired surrogate (an emoji in a device name)', () => {
    expect(() =>
      validateEvent(uplink({ device: { ...uplink().device, deviceName: 'bin 🗑' } }), WINDOW, NOW),
    ).not.toThrow();
  });

  it('checks status and location figures too', () => {
    const base = { time: new Date(NOW), device: uplink().device, deduplicationId: '' };
    expect(
      refusal({
        ...base,
        type: 'status',
        margin: 5,
        externalPowerSource: false,
        batteryLevelUnavailable: false,
        batteryLevel: 1e9,
      }),
    ).toMatch(/^batteryLevel:/);
    expect(
      refusal({
        ...base,
        type: 'location',
        latitude: Number.NaN,
        longitude: 0,
        altitude: 0,
        source: 'GPS',
        accuracy: 0,
      }),
    ).toMatch(/^location.latitude:/);
  });
});

describe('checkText and checkMetrics', () => {
  it('name the field', () => {
    expect(() => checkText('application/a\0/device/x/event/up', 'topic', 512)).toThrow(/^topic: holds NUL/);
    expect(() => checkMetrics([{ metric: 'distance', value: Number.POSITIVE_INFINITY }])).toThrow(/^decoded distance:/);
    expect(() => checkMetrics([{ metric: 'distance', value: 12.5 }])).not.toThrow();
  });
});
