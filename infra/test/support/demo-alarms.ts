import type { Alarm, AlarmPage } from '@city/twin/contract';
import type { MqttClient } from 'mqtt';
import type { EmbeddedDemo } from './embedded-demo.ts';
import { waitFor } from './engines.ts';
import { eventTopic, fillUplink, testDevice, WILSEN } from './fleet.ts';

/**
 * Publishes, as the network server, an uplink of test device `n` bound to `object` by its tags
 * (adopted zero-touch by its first uplink, as the demo's devices are); `frame` makes its bytes.
 */
export async function publishUplink(
  publisher: MqttClient,
  n: number,
  model: string,
  object: string,
  frame: (device: ReturnType<typeof testDevice>) => Uint8Array,
): Promise<void> {
  const device = testDevice('demo-city', n, { model, object });
  await publisher.publishAsync(eventTopic(device, 'up'), Buffer.from(frame(device)), { qos: 1 });
}

/**
 * Raises a bin-full alarm on `object`: test device `n`, a fill-level sensor, reports 95 % (its
 * uplink `fCnt`). Answers the alarm once the API has it, as `headers` may see it.
 */
export async function raiseBinFull(
  platform: EmbeddedDemo,
  publisher: MqttClient,
  object: string,
  n: number,
  opts: { fCnt?: number; headers?: Record<string, string> } = {},
): Promise<Alarm> {
  await publishUplink(publisher, n, WILSEN, object, (d) => fillUplink(d, opts.fCnt ?? 1, Date.now(), 95));
  let alarm: Alarm | undefined;
  await waitFor(`a bin_full alarm on ${object}`, async () => {
    const page = await platform.get<AlarmPage>(
      `/api/v1/alarms?object=${encodeURIComponent(object)}&status=active`,
      opts.headers,
    );
    alarm = page.alarms.find((a) => a.type === 'bin_full');
    return alarm !== undefined;
  });
  return alarm as Alarm;
}

/** Acknowledges alarm `id` as the staff member whose token is given; answers the HTTP status. */
export async function acknowledge(platform: EmbeddedDemo, id: number, token: string): Promise<number> {
  const response = await fetch(`${platform.url}/api/v1/alarms/${id}/ack`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: '{}',
  });
  return response.status;
}

/**
 * Acknowledges every active alarm not yet acknowledged. The wall's map pulses those (30 frames a
 * second in software WebGL, which slows every call a test makes to the page): a suite quiets the
 * alarms its scenarios no longer look at.
 */
export async function acknowledgeAll(platform: EmbeddedDemo, token: string): Promise<void> {
  const page = await platform.get<AlarmPage>('/api/v1/alarms?status=active&limit=500', {
    authorization: `Bearer ${token}`,
  });
  for (const alarm of page.alarms.filter((a) => !a.acknowledged)) {
    const status = await acknowledge(platform, alarm.id, token);
    if (status !== 200) throw new Error(`alarm ${alarm.id} not acknowledged: ${status}`);
  }
}
