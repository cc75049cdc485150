import type { Encoder } from '../encoder.ts';
import { lpp } from './lpp.ts';

/**
 * A dimmable luminaire controller's LPP channels (ingest's `cayenne/lpp-dimmer` profile): relay on
 * digital output 1, level % on analog output 1, power W and mains voltage V on analog inputs 2 and 3.
 */
export type LppDimmerValues = {
  digital_out_1?: 0 | 1;
  /** %, 0.01 steps */
  analog_out_1?: number;
  /** W, 0.01 steps, at most 327.67 (the LPP analog range) */
  analog_in_2?: number;
  /** V, 0.01 steps */
  analog_in_3?: number;
};

export const lppDimmer: Encoder<LppDimmerValues> = {
  model: 'cayenne/lpp-dimmer',
  fPort: lpp.fPort,
  encode: (values) => lpp.encode(values),
  randomValues: (rng) =>
    rng.someOf({
      digital_out_1: rng.chance(0.7) ? (1 as const) : (0 as const),
      analog_out_1: rng.int(0, 100),
      analog_in_2: rng.decimal(0, 200, 2),
      analog_in_3: rng.decimal(207, 253, 2),
    }),
};
