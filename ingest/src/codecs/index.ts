import type { Codec } from '../contract/codec.ts';
import { em310Udl } from './milesight-iot/em310-udl.ts';

/** Every supported device model. Adding a model: one file, one line here. */
export const CODECS: readonly Codec[] = [em310Udl];

const byModel = new Map<string, Codec>(CODECS.map((codec) => [codec.model, codec]));

export function findCodec(model: string): Codec | undefined {
  return byModel.get(model);
}
