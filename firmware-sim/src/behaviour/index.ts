import { airStation } from './air.ts';
import type { BaseState, Behaviour, DeviceContext, ModelAdapter } from './behaviour.ts';
import { bin } from './bin.ts';
import { heatMeter } from './heat-meter.ts';
import { manhole } from './manhole.ts';
import { lightingCabinet, streetlight } from './streetlight.ts';
import { waterMeter } from './water-meter.ts';

export type { BaseState, Behaviour, DeviceClass, DeviceContext, ModelAdapter, Mount } from './behaviour.ts';
// Each behaviour is the key `stateOf` takes to reach a device's typed state.
export { airStation, bin, heatMeter, lightingCabinet, manhole, streetlight, waterMeter };

/** Every kind of simulated device. Adding one: one module, one line here. */
export const BEHAVIOURS: readonly Behaviour<BaseState>[] = [
  bin,
  waterMeter,
  heatMeter,
  streetlight,
  lightingCabinet,
  airStation,
  manhole,
];

export interface ModelBehaviour {
  behaviour: Behaviour<BaseState>;
  adapter: ModelAdapter<BaseState>;
}

const byModel = new Map<string, ModelBehaviour>(
  BEHAVIOURS.flatMap((behaviour) =>
    behaviour.models.map((adapter) => [adapter.model, { behaviour, adapter }] as const),
  ),
);

export function findBehaviour(model: string): ModelBehaviour | undefined {
  return byModel.get(model);
}

/** A device's behaviour bound to its state: what the fleet keeps per device. */
export interface Simulated extends ModelBehaviour {
  state: BaseState;
  device: DeviceContext;
}

export function simulate(device: DeviceContext, ms: number): Simulated {
  const found = findBehaviour(device.model);
  if (!found) throw new Error(`no behaviour simulates ${device.model}`);
  return { ...found, state: found.behaviour.init(device, ms), device };
}

/** The next uplink's payload at `ms`: the state brought up to date, then read by the model. */
export function reading(sim: Simulated, ms: number): Uint8Array {
  sim.behaviour.advance(sim.state, ms, sim.device);
  return sim.adapter.payload(sim.state, ms, sim.device);
}

/** The state of `sim` if it runs `behaviour`, typed; scenarios reach devices through this. */
export function stateOf<S extends BaseState>(sim: Simulated, behaviour: Behaviour<S>): S | undefined {
  return (sim.behaviour as Behaviour<BaseState>) === behaviour ? (sim.state as S) : undefined;
}
