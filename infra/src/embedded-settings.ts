import { type ConfigOf, int, setting, text } from '@city/ingest';
import { DEMO_PASSWORDS, PLATFORM_SETTINGS } from '@city/twin';

/** A broker account's password: never empty (MQTT.js sends an empty one, and it would match). */
const password = (raw: string): string => {
  if (raw === '') throw new Error('expected a password, got an empty one');
  return raw;
};

/** The embedded mode's own section: its in-process broker and the demo city's fleet. */
export const EMBEDDED_SETTINGS = {
  mqttPort: setting('MQTT_PORT', 1883, int, 'Port of the embedded MQTT broker (embedded mode only)'),
  mqttHost: setting(
    'MQTT_HOST',
    '127.0.0.1',
    text,
    'Address the embedded MQTT broker binds to; `0.0.0.0` opens it to the network (then set `DEMO_MQTT_PASSWORD`)',
  ),
  demoMqttUser: setting(
    'DEMO_MQTT_USER',
    'chirpstack',
    text,
    "Embedded mode: user name of the network server's MQTT account (ChirpStack, `pnpm sim`)",
  ),
  demoMqttPassword: setting(
    'DEMO_MQTT_PASSWORD',
    'chirpstack-demo',
    password,
    "Embedded mode: password of the network server's MQTT account; the default is refused when `MQTT_HOST` is not a loopback address",
  ),
  demoAdminUser: setting('DEMO_ADMIN_USER', 'admin', text, "Embedded mode: the demo admin's user name"),
  demoAdminPassword: setting(
    'DEMO_ADMIN_PASSWORD',
    DEMO_PASSWORDS.admin,
    text,
    "Embedded mode: the demo admin's password (the demo also has `operator` and `dispatcher`, see Security)",
  ),
  demoDevices: setting('DEMO_DEVICES', 5000, int, 'Embedded mode: how many simulated devices firmware-sim plays'),
  demoSpeed: setting('DEMO_SPEED', 30, int, 'Embedded mode: simulated time runs this many times faster than real time'),
} as const;

/** Everything `pnpm start` reads: the platform's settings and the embedded mode's. */
export const ALL_SETTINGS = { ...PLATFORM_SETTINGS, ...EMBEDDED_SETTINGS } as const;

export type EmbeddedConfig = ConfigOf<typeof ALL_SETTINGS>;
