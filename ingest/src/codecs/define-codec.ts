import type { Codec, DecodeResult, EncodeResult, UplinkInput } from '../contract/codec.ts';
import { PayloadError } from './byte-reader.ts';

/** Runs a decoder body and converts any PayloadError (or slip) into TTN's `{errors}` shape. */
export function safeDecode<T>(
  input: UplinkInput,
  body: (input: UplinkInput, warnings: string[]) => T,
): DecodeResult<T> {
  const warnings: string[] = [];
  try {
    return { data: body(input, warnings), warnings };
  } catch (err) {
    return { errors: [err instanceof Error ? err.message : String(err)] };
  }
}

/** What a model file declares; `defineCodec` adds the port check and the never-throw wrapper. */
export interface CodecSpec<T extends object> extends Omit<Codec<T>, 'decodeUplink'> {
  decode(bytes: Uint8Array, warnings: string[], fPort: number): T;
}

export function defineCodec<T extends object>(spec: CodecSpec<T>): Codec<T> {
  const { decode, ...codec } = spec;
  const ports = spec.fPorts;
  return {
    ...codec,
    decodeUplink: (input) =>
      safeDecode(input, ({ fPort, bytes }, warnings) => {
        // TTN's wording, so the vendors' own negative examples match.
        if (ports && !ports.includes(fPort)) throw new PayloadError(`unknown FPort ${fPort}`);
        return decode(bytes, warnings, fPort);
      }),
  };
}

/** Runs an encoder body, turning a PayloadError (bad value, unsupported command) into `{errors}`. */
export function safeEncode(body: () => EncodeResult): EncodeResult {
  try {
    return body();
  } catch (err) {
    return { errors: [err instanceof Error ? err.message : String(err)] };
  }
}
