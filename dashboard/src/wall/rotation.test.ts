import { describe, expect, it } from 'vitest';
import { nextView, rotationPlan } from './rotation.ts';

describe("the kiosk's rotation", () => {
  it('rotates through the configured views in order, each for its seconds', () => {
    const plan = rotationPlan({ views: ['city', 'alarms', 'air'], seconds: 30 });
    expect(plan).toEqual({ views: ['city', 'alarms', 'air'], ms: 30_000 });
    if (!plan) return;
    expect(nextView(plan, 'city')).toBe('alarms');
    expect(nextView(plan, 'air')).toBe('city');
    expect(nextView(plan, 'outages')).toBe('city');
  });

  it('does not rotate with fewer than two views, and drops unknown or repeated ones', () => {
    expect(rotationPlan({ views: [], seconds: 30 })).toBeNull();
    expect(rotationPlan({ views: ['city'], seconds: 30 })).toBeNull();
    expect(rotationPlan(undefined)).toBeNull();
    const odd = rotationPlan({ views: ['city', 'city', 'nope' as 'city', 'outages'], seconds: 1 });
    expect(odd).toEqual({ views: ['city', 'outages'], ms: 5_000 });
    expect(rotationPlan({ views: ['city', 'air'], seconds: Number.NaN })).toBeNull();
  });
});
