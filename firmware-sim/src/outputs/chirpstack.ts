import { eventTopic, joinEvent, type Marshaler, uplinkEvent } from '../chirpstack/events.ts';
import type { Output } from './output.ts';

/** What ChirpStack's MQTT integration publishes: `up` and `join` events, JSON or Protobuf. */
export function chirpstackOutput(marshaler: Marshaler): Output {
  return {
    messages: (event) =>
      event.type === 'up'
        ? [{ topic: eventTopic(event.device, 'up'), payload: uplinkEvent(event.uplink, marshaler) }]
        : [{ topic: eventTopic(event.device, 'join'), payload: joinEvent(event.device, event.time, marshaler) }],
  };
}
