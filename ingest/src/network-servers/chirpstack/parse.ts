import { FrameError } from '../../frame-error.ts';
import { type ChirpStackEvent, isEventType } from './events.ts';
import { parseJsonEvent } from './json.ts';
import { parseProtobufEvent } from './protobuf.ts';

const OPEN_BRACE = 0x7b;
const JSON_WHITESPACE = new Set([0x20, 0x09, 0x0a, 0x0d]);

/**
 * Parses one ChirpStack event from its topic and payload. The marshaler is detected per
 * message: a JSON event starts with `{`, which a Protobuf event never does (0x7b would be
 * field 15 with the deprecated group wire type), so a deployment can switch marshalers live.
 */
export function parseChirpStackEvent(eventType: string, payload: Uint8Array): ChirpStackEvent {
  if (!isEventType(eventType)) throw new FrameError('unknown_event', `unknown event type "${eventType}"`);
  if (payload.length === 0) throw new FrameError('unparseable', 'empty payload');
  return firstNonSpace(payload) === OPEN_BRACE
    ? parseJsonEvent(eventType, payload)
    : parseProtobufEvent(eventType, payload);
}

function firstNonSpace(payload: Uint8Array): number | undefined {
  for (const b of payload) if (!JSON_WHITESPACE.has(b)) return b;
  return undefined;
}
