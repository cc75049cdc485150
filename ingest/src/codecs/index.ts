import type { Codec } from '../contract/codec.ts';
import { pulse } from './adeunis/pulse.ts';
import { qalcosonicW1 } from './axioma/qalcosonic-w1.ts';
import { lpp } from './cayenne/lpp.ts';
import { lppDimmer } from './cayenne/lpp-dimmer.ts';
import { dlMbx } from './decentlab/dl-mbx.ts';
import { dlPm } from './decentlab/dl-pm.ts';
import { laq4 } from './dragino/laq4.ts';
import { lt22222L } from './dragino/lt22222-l.ts';
import { ems } from './elsys/ems.ts';
import { ersCo2 } from './elsys/ers-co2.ts';
import { cmi4111 } from './elvaco/cmi4111.ts';
import { cmi4160 } from './elvaco/cmi4160.ts';
import { am307 } from './milesight-iot/am307.ts';
import { am319 } from './milesight-iot/am319.ts';
import { ct101 } from './milesight-iot/ct101.ts';
import { em300Di } from './milesight-iot/em300-di.ts';
import { em310Udl } from './milesight-iot/em310-udl.ts';
import { em400Udl } from './milesight-iot/em400-udl.ts';
import { em500Udl } from './milesight-iot/em500-udl.ts';
import { ws52x } from './milesight-iot/ws52x.ts';
import { ws558 } from './milesight-iot/ws558.ts';
import { wilsenSonicLevel } from './pepperl-fuchs/wilsen-sonic-level.ts';

/** Every supported device model. Adding a model: one file, one line here. */
export const CODECS: readonly Codec[] = [
  em310Udl,
  em400Udl,
  em500Udl,
  am307,
  am319,
  em300Di,
  ct101,
  ws558,
  ws52x,
  wilsenSonicLevel,
  dlPm,
  dlMbx,
  ersCo2,
  ems,
  cmi4160,
  cmi4111,
  qalcosonicW1,
  pulse,
  laq4,
  lt22222L,
  lpp,
  lppDimmer,
];

const byModel = new Map<string, Codec>(CODECS.map((codec) => [codec.model, codec]));

export function findCodec(model: string): Codec | undefined {
  return byModel.get(model);
}
