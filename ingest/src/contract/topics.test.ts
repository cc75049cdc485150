import { describe, expect, it } from 'vitest';
import { CHIRPSTACK_DOWNLINK_TOPIC, fillTopic, routeTopic } from './topics.ts';

describe('topics', () => {
  it('routes ChirpStack event topics and TTS uplink topics, nothing else', () => {
    expect(routeTopic('application/app-1/device/0101010101010101/event/up')).toEqual({
      source: 'chirpstack',
      devEui: '0101010101010101',
      event: 'up',
    });
    expect(routeTopic('v3/bins@city/devices/bin-17/up')).toEqual({ source: 'tts', event: 'up' });
    expect(routeTopic('application/app-1/device/0101010101010101/command/down')).toBeUndefined();
    expect(routeTopic('v3/bins@city/devices/bin-17/join')).toBeUndefined();
  });

  it('fills templates and refuses a missing value', () => {
    expect(fillTopic(CHIRPSTACK_DOWNLINK_TOPIC, { applicationId: 'a', devEui: 'b' })).toBe(
      'application/a/device/b/command/down',
    );
    expect(() => fillTopic(CHIRPSTACK_DOWNLINK_TOPIC, { applicationId: 'a' })).toThrow(/devEui/);
  });
});
