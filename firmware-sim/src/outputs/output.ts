import type { SimEvent } from '../simulation.ts';
import type { MqttMessage } from './gateway-bridge.ts';

/** Where the simulated fleet's radio traffic goes: turns each event into MQTT messages. */
export interface Output {
  messages(event: SimEvent): MqttMessage[];
}
