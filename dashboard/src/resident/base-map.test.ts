import { describe, expect, it } from 'vitest';
import { readBaseMap } from './base-map.ts';
import { nearestAddress, nearestStreet } from './nearest.ts';

const street = (name: unknown, coordinates: unknown) => ({
  type: 'Feature',
  geometry: { type: 'LineString', coordinates },
  properties: { kind: 'street', name },
});

describe("the small map's base map, read as anyone could have written it", () => {
  it('takes districts and streets, outer rings only', () => {
    const map = readBaseMap({
      type: 'FeatureCollection',
      features: [
        {
          type: 'Feature',
          geometry: {
            type: 'Polygon',
            coordinates: [
              [
                [35, 47],
                [35.2, 47],
                [35.2, 47.2],
                [35, 47],
              ],
              [
                [35.1, 47.1],
                [35.11, 47.1],
                [35.1, 47.11],
              ],
            ],
          },
          properties: { name: 'Вознесенівський', nameEn: 'Voznesenivskyi' },
        },
        street('вул. Весняна', [
          [35.1, 47.1],
          [35.2, 47.1],
        ]),
        { type: 'Feature', geometry: { type: 'Point', coordinates: [35, 47] }, properties: {} },
      ],
    });
    expect(map.districts).toHaveLength(1);
    expect(map.districts[0]).toMatchObject({ name: 'Вознесенівський', nameEn: 'Voznesenivskyi' });
    expect(map.districts[0]?.rings).toHaveLength(1);
    expect(map.streets).toEqual([
      {
        name: 'вул. Весняна',
        lines: [
          [
            [35.1, 47.1],
            [35.2, 47.1],
          ],
        ],
      },
    ]);
  });

  it('skips what is not geometry and survives what is not even GeoJSON', () => {
    for (const junk of [null, 42, 'x', {}, { features: 'no' }, { features: [null, 1, {}] }]) {
      expect(readBaseMap(junk)).toEqual({ districts: [], streets: [] });
    }
    const map = readBaseMap({
      features: [
        street({ toString: 'x' }, [
          [35, 47],
          ['35', 47],
          [Number.NaN, 47],
          [999, 47],
          [35.1, 47.1],
        ]),
        street('one point', [[35, 47]]),
        street('x'.repeat(10_000), 'nope'),
      ],
    });
    expect(map.streets).toEqual([
      {
        name: '',
        lines: [
          [
            [35, 47],
            [35.1, 47.1],
          ],
        ],
      },
    ]);
  });

  it('names the nearest street and address', () => {
    const map = readBaseMap({
      features: [
        street('far', [
          [35.2, 47.9],
          [35.3, 47.9],
        ]),
        street('near', [
          [35.139, 47.8401],
          [35.141, 47.8401],
        ]),
      ],
    });
    expect(nearestStreet([35.14, 47.84], map)?.name).toBe('near');
    expect(nearestStreet([36, 48], map)).toBeUndefined();
    const view = (number: string, lat: number, address: string | null) => ({
      number,
      type: 'pole',
      typeLabel: { uk: 'опора', en: 'pole' },
      address,
      district: null,
      lat,
      lon: 35.14,
    });
    expect(
      nearestAddress(
        [35.14, 47.84],
        [view('a', 47.85, 'вул. Далека'), view('b', 47.8401, null), view('c', 47.8402, 'вул. Близька')],
      ),
    ).toBe('вул. Близька');
  });
});
