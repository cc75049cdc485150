import { describe, expect, it } from 'vitest';
import { lppDimmer } from './lpp-dimmer.ts';

/** The city metrics of one uplink, by name. */
function metrics(hex: string): Record<string, number> {
  const decoded = lppDimmer.decodeUplink({ fPort: 1, bytes: Buffer.from(hex.replace(/ /g, ''), 'hex') });
  if ('errors' in decoded) throw new Error(decoded.errors.join('; '));
  return Object.fromEntries(lppDimmer.toMetrics(decoded.data, {}).map((m) => [m.metric, m.value]));
}

describe('cayenne/lpp-dimmer metrics', () => {
  it('reads the relay, the level, the power and the mains voltage', () => {
    expect(metrics('010101 01031770 020212f2 03025a50')).toEqual({
      lamp_on: 1,
      dim_level: 60,
      power: 48.5,
      voltage: 231.2,
      lamp_failure: 0,
    });
  });

  it('calls a lit lamp drawing nothing failed', () => {
    expect(metrics('010101 01031770 02020000')).toMatchObject({ lamp_on: 1, lamp_failure: 1 });
  });

  it('counts a closed relay at level 0 as off, and its drawing nothing as no fault', () => {
    expect(metrics('010101 01030000 02020000')).toEqual({ lamp_on: 0, dim_level: 0, power: 0, lamp_failure: 0 });
  });

  it('says nothing of the lamp when the uplink does not carry the relay', () => {
    expect(metrics('03025a50')).toEqual({ voltage: 231.2 });
  });
});
