/** Rounds away float noise from scaled integers (e.g. 308 / 10 -> 30.8, not 30.800000000000001). */
export function scaled(raw: number, divisor: number): number {
  return Number((raw / divisor).toFixed(6));
}

/** `raw · 10^exponent`, dividing for negative exponents so that 2013060 · 10⁻³ is exactly 2013.06. */
export function decimalShift(raw: number, exponent: number): number {
  return exponent >= 0 ? raw * 10 ** exponent : raw / 10 ** -exponent;
}
