import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ENCODERS, type Encoder } from '../src/encoders/index.ts';

/**
 * The vendors' published examples are the oracle for the firmware side too: encoding an example's
 * decoded `data` must give back the example's bytes. This checks the encoders on their own,
 * without ingest's decoders.
 */

const devices = new URL('../../vectors/devices/', import.meta.url);

interface Example {
  description: string;
  input: { fPort: number; bytes: number[] };
  output: { data?: object; errors?: string[] };
}

/** Examples whose `data` cannot reproduce the bytes, and why. */
const NOT_REPRODUCIBLE: Record<string, string> = {
  'Ambience Monitoring Sensors (example 1) - Milesight IoT':
    'the expected output leaves out the activity record that is in the bytes',
  'Payload 2 contains proximity in cm, fill level, battery status, geo location and temperature':
    'the vendor rounds the float32 temperature 25.0725 to 25.1 when decoding',
};

/** Models whose example fPort is not the one the device sends on, and why. */
const OTHER_PORT: Record<string, string> = {
  'cayenne/lpp': 'LPP is decoded the same on any port; the examples use 1 and 8',
  'elsys/ers-co2': 'the example was captured on port 1; Elsys sensors send on port 5 by default',
};

/** `vectors/devices/<vendor>-<device>.yaml`, where Milesight's vendor is spelled without `-iot`. */
function vectorFile(encoder: Encoder): string {
  return `${encoder.model.replace(/^milesight-iot\//, 'milesight/').replace('/', '-')}.yaml`;
}

const files = new Set(readdirSync(devices));

describe.each(ENCODERS.filter((encoder) => files.has(vectorFile(encoder))))('$model', (encoder) => {
  const { uplinkDecoder } = parse(readFileSync(new URL(vectorFile(encoder), devices), 'utf8')) as {
    uplinkDecoder: { examples: Example[] };
  };
  const examples = uplinkDecoder.examples.filter(
    (example) => example.output.data !== undefined && !(example.description in NOT_REPRODUCIBLE),
  );

  it.each(examples)('encodes "$description" to the published bytes', (example) => {
    if (!(encoder.model in OTHER_PORT)) expect(example.input.fPort).toBe(encoder.fPort);
    expect([...encoder.encode(example.output.data as object)]).toEqual(example.input.bytes);
  });
});

it('every vendor example file has an encoder', () => {
  const covered = new Set(ENCODERS.map(vectorFile));
  expect([...files].filter((file) => !covered.has(file))).toEqual([]);
});
