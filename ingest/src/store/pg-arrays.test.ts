import { afterAll, describe, expect, it } from 'vitest';
import { openPglite } from './db.ts';
import { numberArray, textArray } from './pg-arrays.ts';

// Elements are read back as rows: PGlite's client-side array parser reads NULL as a string.
describe('array literals', async () => {
  const db = await openPglite();
  afterAll(() => db.close());

  it('round-trip awkward strings and nulls through PostgreSQL', async () => {
    const values = ['plain', 'ОП-03-00417', 'quote " and \\ backslash', '', 'comma, {brace}', null, 'NULL'];
    const { rows } = await db.query<{ v: string | null }>(
      'SELECT v FROM unnest($1::text[]) WITH ORDINALITY AS u(v, i) ORDER BY i',
      [textArray(values)],
    );
    expect(rows.map((r) => r.v)).toEqual(values);
  });

  it('round-trip numbers and nulls', async () => {
    const values = [0, -1.5, 1e-7, 1658136855775.123, null, 42];
    const { rows } = await db.query<{ v: number | null }>(
      'SELECT v FROM unnest($1::float8[]) WITH ORDINALITY AS u(v, i) ORDER BY i',
      [numberArray(values)],
    );
    expect(rows.map((r) => r.v)).toEqual(values);
  });
});
