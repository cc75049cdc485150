import type { Encoder } from '../encoder.ts';
import { ELSYS_FPORT, type ElsysValues, encodeElsys } from './generic.ts';

export type EmsValues = Pick<ElsysValues, 'temperature' | 'humidity' | 'x' | 'y' | 'z' | 'pulse1' | 'waterleak'>;

export const ems: Encoder<EmsValues> = {
  model: 'elsys/ems',
  fPort: ELSYS_FPORT,
  encode: encodeElsys,
  randomValues: (rng) => ({
    ...rng.someOf({
      temperature: rng.decimal(-10, 40, 1),
      humidity: rng.int(15, 95),
      pulse1: rng.int(0, 0xffff),
      waterleak: rng.chance(0.05) ? rng.int(1, 255) : 0,
    }),
    // Lying still the sensor reads about 1 g (63 counts) on one axis.
    ...(rng.chance(0.7) ? { x: rng.int(-8, 8), y: rng.int(-8, 8), z: rng.int(55, 70) } : {}),
  }),
};
