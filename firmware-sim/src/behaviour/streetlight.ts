import { lppDimmer } from '../encoders/cayenne/lpp-dimmer.ts';
import { lt22222L } from '../encoders/dragino/lt22222-l.ts';
import { ct101 } from '../encoders/milesight-iot/ct101.ts';
import { ws52x } from '../encoders/milesight-iot/ws52x.ts';
import { ws558 } from '../encoders/milesight-iot/ws558.ts';
import { HOUR } from '../world/local-time.ts';
import { drift, occasional } from '../world/noise.ts';
import { adapter, type BaseState, type Behaviour, type DeviceContext, round } from './behaviour.ts';

const SLOT_MS = 5 * 60_000;
const YEAR_MS = 365.25 * 24 * HOUR;
/** Mean time between lamp failures: LED luminaires and their drivers last some years. */
const LAMP_MTBF_MS = 4 * YEAR_MS;
const CHANNEL = { voltage: 41, door: 42 } as const;

/**
 * What a lighting circuit shares with every controller on it: when its photocell switches,
 * the load it should draw, and the scenario lever of a dead feeder (the cabinet's contactor or
 * fuse gone: controllers still report, lamps get nothing).
 */
interface Circuit extends BaseState {
  /** how late this photocell switches relative to the city's dusk and dawn, ms */
  lagMs: number;
  /** W the lit load draws when all is well */
  loadW: number;
  feederDown: boolean;
  /** Wh metered since installation, at `atMs` */
  energyWh: number;
  atMs: number;
}

/**
 * A relay switched by a downlink, overriding the photocell from `fromMs` until the photocell
 * next switches (at dusk or dawn the controller's schedule takes over again).
 */
export interface RelayOverride {
  on: boolean;
  fromMs: number;
  /** what the photocell said when the command came: the override holds while it still says so */
  whileLit: boolean;
}

export interface PoleState extends Circuit {
  /** the moment this pole's lamp fails: the controller switches on, the lamp draws nothing */
  failsAtMs: number;
  relay?: RelayOverride;
  /** % of full light a dimmable driver gives when lit; 100 for a plain relay, kept until set again */
  dimPct: number;
}

export interface CabinetState extends Circuit {
  /** lowest and highest current since the previous uplink, A (the CT101 reports both) */
  minA: number;
  maxA: number;
}

function lit(s: Circuit, ms: number, device: DeviceContext): boolean {
  return device.world.lightsOn(ms, s.lagMs);
}

/**
 * Whether the pole's relay is closed: as commanded while an override holds, else as its photocell
 * says. Asked in time order (the meter's slots, then the uplink), it ends the override the first
 * time the photocell has switched since, so a day without uplinks does not bring it back at dusk.
 */
function switchedOn(s: PoleState, ms: number, device: DeviceContext): boolean {
  const photocell = lit(s, ms, device);
  const relay = s.relay;
  if (!relay || ms < relay.fromMs) return photocell;
  if (photocell === relay.whileLit) return relay.on;
  delete s.relay;
  return photocell;
}

/** A downlink's switch command reaching the pole at `ms` (the state is brought up to `ms` first). */
export function switchPole(s: PoleState, on: boolean, ms: number, device: DeviceContext): void {
  streetlight.advance(s, ms, device);
  s.relay = { on, fromMs: ms, whileLit: lit(s, ms, device) };
}

/** A downlink's dim command reaching the pole at `ms`: the driver's level from then on. */
export function dimPole(s: PoleState, level: number, ms: number, device: DeviceContext): void {
  streetlight.advance(s, ms, device);
  s.dimPct = level;
}

function mainsVolts(ms: number, device: DeviceContext): number {
  return 229 + 4 * drift(device.world.seed, device.key, CHANNEL.voltage, ms, HOUR);
}

function polePowerW(s: PoleState, ms: number, device: DeviceContext): number {
  return switchedOn(s, ms, device) && !s.feederDown && ms < s.failsAtMs ? (s.loadW * s.dimPct) / 100 : 0;
}

function cabinetPowerW(s: CabinetState, ms: number, device: DeviceContext): number {
  return lit(s, ms, device) && !s.feederDown ? s.loadW : 0;
}

/** Energy metered in 5-minute slots, each at the power drawn at its start. */
function meter<S extends Circuit>(power: (s: S, ms: number, device: DeviceContext) => number) {
  return (s: S, ms: number, device: DeviceContext, each?: (watts: number) => void) => {
    while (s.atMs < ms) {
      const end = Math.min(ms, (Math.floor(s.atMs / SLOT_MS) + 1) * SLOT_MS);
      const watts = power(s, s.atMs, device);
      s.energyWh += (watts * (end - s.atMs)) / HOUR;
      each?.(watts);
      s.atMs = end;
    }
  };
}

function circuit(device: DeviceContext, ms: number, loadW: number): Circuit {
  return { lagMs: device.rng.int(-4, 8) * 60_000, loadW, feederDown: false, energyWh: 0, atMs: ms };
}

const meterPole = meter(polePowerW);
const meterCabinet = meter(cabinetPowerW);

/** A pole's controller switching one LED luminaire: a Milesight WS52x, or a dimmable LPP controller. */
export const streetlight: Behaviour<PoleState> = {
  kind: 'streetlight',
  objectTypes: ['pole'],
  init(device, ms) {
    const { rng } = device;
    return {
      ...circuit(device, ms, rng.pick([40, 60, 80, 100, 150])),
      energyWh: rng.int(0, 2_000_000),
      failsAtMs: ms - Math.log(1 - rng.next()) * LAMP_MTBF_MS,
      dimPct: 100,
    };
  },
  advance: (s, ms, device) => meterPole(s, ms, device),
  models: [
    // The WS52x reports its relay as `button`: "open" is how its decoder names the relay on.
    adapter(ws52x, 'streetlight', [600, 900], (s, ms, d) => ({
      voltage: round(mainsVolts(ms, d), 1),
      power: Math.round(polePowerW(s, ms, d)),
      energy: Math.floor(s.energyWh),
      button: switchedOn(s, ms, d) ? ('open' as const) : ('close' as const),
    })),
    adapter(lppDimmer, 'streetlight', [600, 900], (s, ms, d) => ({
      digital_out_1: switchedOn(s, ms, d) ? (1 as const) : (0 as const),
      analog_out_1: s.dimPct,
      analog_in_2: round(polePowerW(s, ms, d), 2),
      analog_in_3: round(mainsVolts(ms, d), 2),
    })),
  ],
};

/** A lighting cabinet feeding a row of poles: its meter, its current sensor, its I/O controller. */
export const lightingCabinet: Behaviour<CabinetState> = {
  kind: 'lighting-cabinet',
  objectTypes: ['cabinet'],
  init(device, ms) {
    const poles = typeof device.mount.props.poles === 'number' ? device.mount.props.poles : 20;
    return { ...circuit(device, ms, poles * device.rng.pick([60, 80, 100])), minA: Number.POSITIVE_INFINITY, maxA: 0 };
  },
  advance(s, ms, device) {
    const volts = mainsVolts(ms, device);
    meterCabinet(s, ms, device, (watts) => {
      s.minA = Math.min(s.minA, watts / volts);
      s.maxA = Math.max(s.maxA, watts / volts);
    });
  },
  models: [
    adapter(ws558, 'streetlight', [600, 900], (s, ms, d) => ({
      voltage: round(mainsVolts(ms, d), 1),
      power: Math.round(cabinetPowerW(s, ms, d)),
      power_consumption: Math.floor(s.energyWh),
    })),
    adapter(ct101, 'streetlight', [600, 900], (s, ms, d) => {
      const current = round(cabinetPowerW(s, ms, d) / mainsVolts(ms, d), 2);
      // The threshold alarm is set to the circuit's load: lit but drawing under half of it is a fault.
      const fault = lit(s, ms, d) && current < (0.5 * s.loadW) / 230;
      const reading = {
        current_max: round(Math.max(s.maxA, current), 2),
        current_min: round(Math.min(s.minA, current), 2),
        current,
        current_alarm: {
          current_threshold_alarm: fault ? 'yes' : 'no',
          current_threshold_alarm_release: 'no',
          current_over_range_alarm: 'no',
          current_over_range_alarm_release: 'no',
        },
      } as const;
      s.minA = current;
      s.maxA = current;
      return reading;
    }),
    // A Dragino LT-22222-L in the cabinet: relay 1 drives the contactor, DI1 reads it back,
    // DI2 is the door switch, ACI1 a 4-20 mA transducer on the feeder current.
    adapter(lt22222L, 'io', [600, 900], (s, ms, d) => {
      const on = lit(s, ms, d);
      const share = cabinetPowerW(s, ms, d) / s.loadW;
      const doorOpen = occasional(d.world.seed, d.key, CHANNEL.door, ms, 0.02, 2);
      return {
        Hardware_mode: 'LT22222',
        Work_mode: '2ACI+2AVI',
        AVI1_V: round(24 + 0.2 * drift(d.world.seed, d.key, CHANNEL.voltage, ms, HOUR), 3),
        AVI2_V: 0,
        ACI1_mA: round(4 + 16 * share, 3),
        ACI2_mA: 0,
        RO1_status: on ? 'ON' : 'OFF',
        RO2_status: 'OFF',
        DI1_status: on && !s.feederDown ? 'H' : 'L',
        DI2_status: doorOpen ? 'H' : 'L',
        DO1_status: 'H',
        DO2_status: 'H',
      };
    }),
  ],
};
