import type { SeriesPoint } from '@city/twin/contract';
import { describe, expect, it } from 'vitest';
import { chartPick, series } from './focus.ts';

const live = (metrics: Record<string, string>) => ({
  live: {
    number: 'СМ-01-00001',
    lastSeen: '2026-11-30T10:00:00Z',
    health: 'ok' as const,
    metrics: Object.fromEntries(
      Object.entries(metrics).map(([m, devEui]) => [m, { value: 1, time: '2026-11-30T10:00:00Z', devEui }]),
    ),
  },
});

describe('the focus chart', () => {
  it("charts the alarm's metric from the device that measured it", () => {
    const object = live({ battery: 'aaaaaaaaaaaaaaaa', fill_level: 'bbbbbbbbbbbbbbbb' });
    expect(chartPick({ category: 'bin_full', devEui: null }, object, { type: 'bin_full', devEui: null })).toEqual({
      metric: 'fill_level',
      devEui: 'bbbbbbbbbbbbbbbb',
    });
    // No live value yet: the alarm's own device.
    expect(chartPick({ category: null, devEui: null }, null, { type: 'bin_full', devEui: 'cccccccccccccccc' })).toEqual(
      {
        metric: 'fill_level',
        devEui: 'cccccccccccccccc',
      },
    );
  });

  it("otherwise the object's first metric that is not radio or battery; never a devEui that is not one", () => {
    expect(
      chartPick({ category: null, devEui: null }, live({ rssi: 'aaaaaaaaaaaaaaaa', pm25: 'dddddddddddddddd' }), null),
    ).toEqual({
      metric: 'pm25',
      devEui: 'dddddddddddddddd',
    });
    expect(chartPick({ category: null, devEui: null }, live({ pm25: '../../admin' }), null)).toBeNull();
    expect(chartPick({ category: 'bin_full', devEui: '../x' }, null, null)).toBeNull();
  });

  it('turns points into columns, oldest first, dropping what is not a number', () => {
    const points = [
      { time: '2026-11-30T10:15:00Z', metric: 'm', value: 2 },
      { time: '2026-11-30T10:00:00Z', metric: 'm', value: 1 },
      { time: 'garbage', metric: 'm', value: 3 },
      { time: '2026-11-30T10:30:00Z', metric: 'm', value: 'x' as unknown as number },
    ] as SeriesPoint[];
    const base = Date.parse('2026-11-30T10:00:00Z') / 1000;
    expect(series(points)).toEqual({ times: [base, base + 900], values: [1, 2] });
  });
});
