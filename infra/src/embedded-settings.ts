import { type ConfigOf, int, setting } from '@city/ingest';
import { PLATFORM_SETTINGS } from '@city/twin';

/** The embedded mode's own section: its in-process broker and the demo city's fleet. */
export const EMBEDDED_SETTINGS = {
  mqttPort: setting('MQTT_PORT', 1883, int, 'Port of the embedded MQTT broker (embedded mode only)'),
  demoDevices: setting('DEMO_DEVICES', 5000, int, 'Embedded mode: how many simulated devices firmware-sim plays'),
  demoSpeed: setting('DEMO_SPEED', 30, int, 'Embedded mode: simulated time runs this many times faster than real time'),
} as const;

/** Everything `pnpm start` reads: the platform's settings and the embedded mode's. */
export const ALL_SETTINGS = { ...PLATFORM_SETTINGS, ...EMBEDDED_SETTINGS } as const;

export type EmbeddedConfig = ConfigOf<typeof ALL_SETTINGS>;
