import type { Random } from '../random.ts';

const DAY_MS = 86_400_000;

/**
 * A primary cell's charge over time. Lithium cells in these sensors last 5-12 years; a few
 * percent of the fleet has a weak cell that empties in weeks, so battery rounds have work.
 * Charge is a pure function of time, so it can only fall.
 */
export class Battery {
  constructor(
    private readonly startPercent: number,
    private readonly startMs: number,
    private readonly percentPerDay: number,
  ) {}

  static draw(rng: Random, ms: number): Battery {
    const weak = rng.chance(0.03);
    const lifeDays = weak ? rng.int(10, 60) : rng.int(5 * 365, 12 * 365);
    return new Battery(rng.int(weak ? 5 : 30, 100), ms, 100 / lifeDays);
  }

  /** Whole percent left, as devices report it. */
  percent(ms: number): number {
    const days = Math.max(0, ms - this.startMs) / DAY_MS;
    return Math.max(0, Math.floor(this.startPercent - days * this.percentPerDay));
  }

  /**
   * Cell voltage, rounded down to `decimals`: linear between `emptyV` and `fullV`, the same
   * coarse curve ingest uses to turn volts back into percent.
   */
  volts(ms: number, decimals: number, emptyV = 3.0, fullV = 3.6): number {
    const v = emptyV + ((fullV - emptyV) * this.percent(ms)) / 100;
    return Math.floor(v * 10 ** decimals + 1e-9) / 10 ** decimals;
  }

  empty(ms: number): boolean {
    return this.percent(ms) === 0;
  }
}
