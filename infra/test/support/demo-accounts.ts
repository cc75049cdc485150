import { DEMO_PASSWORDS } from '@city/twin';
import mqtt, { type MqttClient } from 'mqtt';
import { EMBEDDED_SETTINGS } from '../../src/embedded-settings.ts';

/** The embedded demo's accounts (README, Security), as the tests sign in with them. */

/** The network server's account on the embedded broker: what ChirpStack publishes uplinks as. */
export const NETWORK_SERVER = {
  username: EMBEDDED_SETTINGS.demoMqttUser.default,
  password: EMBEDDED_SETTINGS.demoMqttPassword.default,
};
export const OPERATOR = { username: 'operator', password: DEMO_PASSWORDS.operator };
/** The demo's dispatcher belongs to the water utility (infra/src/demo-accounts.ts). */
export const DISPATCHER = { username: 'dispatcher', password: DEMO_PASSWORDS.dispatcher, utility: 'vodokanal' };
/** The demo's kiosk key: it reads what a wall shows, and the object registry's lists. */
export const KIOSK_KEY = 'demo-kiosk';
export const KIOSK = { authorization: `Bearer ${KIOSK_KEY}` };

/** A staff account's bearer token from the platform at `baseUrl`. */
export async function logIn(baseUrl: string, account: { username: string; password: string }): Promise<string> {
  const response = await fetch(`${baseUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: account.username, password: account.password }),
  });
  if (response.status !== 200) throw new Error(`${account.username} could not sign in: ${response.status}`);
  return ((await response.json()) as { token: string }).token;
}

/** An MQTT client on the embedded broker signed in as the network server. */
export function connectAsNetworkServer(mqttPort: number, clientId: string): Promise<MqttClient> {
  return mqtt.connectAsync(`mqtt://127.0.0.1:${mqttPort}`, { ...NETWORK_SERVER, clientId });
}
