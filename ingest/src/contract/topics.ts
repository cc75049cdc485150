/**
 * MQTT topic templates, ChirpStack's own: `application/{{application_id}}/device/{{dev_eui}}/event/{{event}}`
 * and `.../command/down`. One place, so the simulator, ingest and the downlink API agree.
 */
export const CHIRPSTACK_EVENT_TOPIC = 'application/{applicationId}/device/{devEui}/event/{event}';
export const CHIRPSTACK_DOWNLINK_TOPIC = 'application/{applicationId}/device/{devEui}/command/down';
export const GATEWAY_UPLINK_TOPIC = '{region}/gateway/{gatewayId}/event/up';
/**
 * Where ingest publishes each committed batch of normalised readings (QoS 1; `readings-message.ts`
 * is the payload) and twin processes subscribe: the default of READINGS_TOPIC. Under `city/`,
 * which the deployment's broker ACL gives ingest and the platform server, and outside what a
 * network server's account may publish to.
 */
export const READINGS_TOPIC = 'city/readings';

export function fillTopic(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (_, key: string) => {
    const value = values[key];
    if (value === undefined) throw new Error(`topic template ${template}: no value for {${key}}`);
    return value;
  });
}

export interface TopicRoute {
  source: 'chirpstack' | 'tts';
  devEui?: string;
  event: string;
}

/** Recognises a ChirpStack event topic or a The Things Stack uplink topic; other topics give undefined. */
export function routeTopic(topic: string): TopicRoute | undefined {
  const parts = topic.split('/');
  if (parts.length === 6 && parts[0] === 'application' && parts[2] === 'device' && parts[4] === 'event') {
    return { source: 'chirpstack', devEui: parts[3], event: parts[5] ?? '' };
  }
  if (parts.length === 5 && parts[0] === 'v3' && parts[2] === 'devices' && parts[4] === 'up') {
    return { source: 'tts', event: 'up' };
  }
  return undefined;
}
