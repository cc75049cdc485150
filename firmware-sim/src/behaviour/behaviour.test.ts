import { describe, expect, it } from 'vitest';
import { ENCODERS } from '../encoders/index.ts';
import { BEHAVIOURS } from './index.ts';

// How the simulated devices read once ingest decodes them is tested where the two meet:
// infra/test/sim-meets-ingest/behaviour-decoded.test.ts.

describe('behaviour registry', () => {
  it('simulates every model firmware-sim can encode, each exactly once', () => {
    const models = BEHAVIOURS.flatMap((b) => b.models.map((m) => m.model));
    expect(new Set(models).size).toBe(models.length);
    expect([...models].sort()).toEqual(ENCODERS.map((e) => e.model).sort());
  });
});
