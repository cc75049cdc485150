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
  invalid_value:
    'A value is out of its range (dr, fCnt, fPort, frequency, radio, time window, a decoded value not finite), a text holds NUL or invalid UTF-8 or is too long; the detail names the field',
  dev_eui_mismatch: 'The devEui in the payload is not the one in the topic',
  adoption_limit: 'Zero-touch registration refused: more new devices than `ADOPT_PER_HOUR` in the last hour',
  refused_by_database:
    "The database refused the frame's rows (the detail is its message); the rest of its batch committed",
} as const;

export type DeadLetterReason = keyof typeof DEAD_LETTER_REASONS;
