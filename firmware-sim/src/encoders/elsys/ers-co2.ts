import type { Encoder } from '../encoder.ts';
import { ELSYS_FPORT, type ElsysValues, encodeElsys } from './generic.ts';

export type ErsCo2Values = Pick<ElsysValues, 'temperature' | 'humidity' | 'light' | 'motion' | 'co2'>;

export const ersCo2: Encoder<ErsCo2Values> = {
  model: 'elsys/ers-co2',
  fPort: ELSYS_FPORT,
  encode: encodeElsys,
  randomValues: (rng) =>
    rng.someOf({
      temperature: rng.decimal(10, 35, 1),
      humidity: rng.int(15, 90),
      light: rng.int(0, 2000),
      motion: rng.int(0, 50),
      co2: rng.int(400, 3000),
    }),
};
