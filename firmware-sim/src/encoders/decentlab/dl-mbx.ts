import type { Encoder } from '../encoder.ts';
import { type DecentlabValues, encodeDecentlab, type Measurement, type SensorGroup } from './protocol-v2.ts';

export interface DlMbxValues extends DecentlabValues {
  /** mm */
  distance?: Measurement;
  number_of_valid_samples?: Measurement;
  /** V, 0.001 steps */
  battery_voltage?: Measurement;
}

const GROUPS: readonly SensorGroup<DlMbxValues>[] = [
  [
    ['distance', (v) => v],
    ['number_of_valid_samples', (v) => v],
  ],
  [['battery_voltage', (v) => v * 1000]],
];

export const dlMbx: Encoder<DlMbxValues> = {
  model: 'decentlab/dl-mbx',
  fPort: 1,
  encode: (values) => encodeDecentlab(values, GROUPS),
  randomValues: (rng) => ({
    device_id: rng.int(0, 0xffff),
    ...(rng.chance(0.9)
      ? { distance: { value: rng.int(300, 5000) }, number_of_valid_samples: { value: rng.int(0, 10) } }
      : {}),
    ...(rng.chance(0.9) ? { battery_voltage: { value: rng.decimal(2.9, 3.6, 3) } } : {}),
  }),
};
