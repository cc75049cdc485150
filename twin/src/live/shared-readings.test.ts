import type { Reading } from '@city/ingest';
import { describe, expect, it } from 'vitest';
import type { ReadingsSource } from './readings-source.ts';
import { SharedReadings } from './shared-readings.ts';

/** A source that counts its subscriptions and hands out what `push` gets. */
function countingSource() {
  let deliver: ((r: Reading[]) => void) | undefined;
  const counts = { subscribed: 0, stopped: 0 };
  const source: ReadingsSource = {
    listen: async (listener) => {
      counts.subscribed++;
      deliver = listener;
      return async () => {
        counts.stopped++;
        deliver = undefined;
      };
    },
  };
  return { source, counts, push: (r: Reading[]) => deliver?.(r) };
}

const reading: Reading = { timeMs: 1, devEui: '0011223344556677', objectNumber: null, metric: 'battery', value: 90 };

describe('SharedReadings', () => {
  it('subscribes once for every listener, hands each every batch, and stops after the last one leaves', async () => {
    const { source, counts, push } = countingSource();
    const shared = new SharedReadings(source);
    const heard: string[] = [];
    const stopA = await shared.listen(() => heard.push('a'));
    const stopB = await shared.listen(() => heard.push('b'));
    push([reading]);
    expect(heard).toEqual(['a', 'b']);
    expect(counts).toEqual({ subscribed: 1, stopped: 0 });
    await stopA();
    push([reading]);
    expect(heard).toEqual(['a', 'b', 'b']);
    expect(counts.stopped).toBe(0);
    await stopB();
    expect(counts).toEqual({ subscribed: 1, stopped: 1 });
    // A listener after that subscribes again.
    await shared.listen(() => heard.push('c'));
    expect(counts.subscribed).toBe(2);
  });

  it('a subscription that fails is refused to its listener and tried again by the next', async () => {
    let fail = true;
    const shared = new SharedReadings({
      listen: async () => {
        if (fail) throw new Error('broker away');
        return async () => {};
      },
    });
    await expect(shared.listen(() => {})).rejects.toThrow('broker away');
    fail = false;
    await expect(shared.listen(() => {})).resolves.toBeTypeOf('function');
  });
});
