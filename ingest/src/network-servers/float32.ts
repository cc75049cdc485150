/**
 * The shortest decimal that reads back as the same 32-bit float: the value as the radio reported
 * it. Protobuf `float` fields (snr, battery level) arrive widened to doubles, so -0.6 would
 * otherwise be stored and shown as -0.6000000238418579.
 */
export function float32(value: number): number {
  for (let digits = 1; digits < 9; digits++) {
    const shortest = Number(value.toPrecision(digits));
    if (Math.fround(shortest) === value) return shortest;
  }
  // Nine significant digits always round-trip a float32; a non-float32 (NaN) stays as it is.
  return value;
}
