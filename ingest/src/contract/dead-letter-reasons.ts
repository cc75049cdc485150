/**
 * Why a frame was dead-lettered. A closed list: each code is stored with the frame and
 * counted in /metrics; README "Dead letters" documents the same list (a test keeps them in step).
 */
export const DEAD_LETTER_REASONS = {
  unparseable: 'The payload is neither ChirpStack JSON nor a ChirpStack Protobuf event',
  invalid_event: 'The event parsed but a field is missing or has the wrong type',
  unknown_event: 'The topic names an event type ChirpStack does not publish',
  unknown_device: 'No device with this devEui is registered and ChirpStack sent no `model` tag',
  unknown_model: 'The device is registered with a model no codec implements',
  decode_failed: 'The codec rejected the payload (wrong fPort, short or malformed bytes)',
} as const;

export type DeadLetterReason = keyof typeof DEAD_LETTER_REASONS;
