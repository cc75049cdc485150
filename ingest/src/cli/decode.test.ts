import { describe, expect, it } from 'vitest';
import { run } from './decode.ts';

function capture(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = run(args, { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('decode CLI', () => {
  it('prints data, warnings and metrics', () => {
    const { code, out } = capture(['milesight-iot/em310-udl', '85', '01755C038244080400 01']);
    expect(code).toBe(0);
    expect(JSON.parse(out)).toEqual({
      data: { battery: 92, distance: 2116, tilt: 'tilt' },
      warnings: [],
      metrics: [
        { metric: 'battery', value: 92 },
        { metric: 'distance', value: 2116 },
        { metric: 'fill_level', value: 0 },
        { metric: 'tilt', value: 1 },
      ],
    });
  });

  it('prints the errors of a rejected payload and exits 1', () => {
    const { code, out } = capture(['dragino/laq4', '42', '0d07050012020b00fb01b3']);
    expect(code).toBe(1);
    expect(JSON.parse(out)).toEqual({ errors: ['unknown FPort 42'] });
  });

  it('names the known models when the model is unknown', () => {
    const { code, err } = capture(['acme/nothing', '1', '00']);
    expect(code).toBe(1);
    expect(err).toContain('unknown model "acme/nothing"');
    expect(err).toContain('milesight-iot/ws558');
  });

  it('explains bad arguments', () => {
    expect(capture([]).err).toContain('usage: pnpm decode');
    expect(capture(['cayenne/lpp', 'x', '00']).err).toContain('fPort must be an integer');
    expect(capture(['cayenne/lpp', '1', 'zz']).err).toContain('payload must be hex bytes');
  });
});
