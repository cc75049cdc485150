import { describe, expect, it } from 'vitest';
import { manyObjects, testCity } from '../../test/city-fixture.ts';
import { ObjectIndex } from '../objects/object-index.ts';
import { selectForLabels, streetKey } from './label-selection.ts';

describe('the objects labels are printed for', () => {
  const city = testCity();
  const [west, east] = city.districts;
  // 40 objects: poles and bins in turn, the first 20 in the west; every third on `вул. Тестова`.
  const objects = manyObjects(city, 40).map((o, i) => ({ ...o, district: i < 20 ? west.code : east.code }));
  const index = ObjectIndex.build([...objects].reverse(), city.districts);
  const numbers = (selected: ReturnType<typeof selectForLabels>) =>
    'objects' in selected ? selected.objects.map((o) => o.number) : 'too many';

  it('selects by district, type and street, in number order', () => {
    expect(numbers(selectForLabels(index, { district: west.code }, 100))).toEqual(
      objects
        .slice(0, 20)
        .map((o) => o.number)
        .sort(),
    );
    expect(numbers(selectForLabels(index, { district: east.code, type: 'bin' }, 100))).toEqual(
      objects
        .filter((o, i) => i >= 20 && o.type === 'bin')
        .map((o) => o.number)
        .sort(),
    );
    const onStreet = objects.filter((o) => o.address?.startsWith('вул. Тестова')).map((o) => o.number);
    expect(onStreet.length).toBeGreaterThan(5);
    expect(numbers(selectForLabels(index, { street: 'ТЕСТОВА' }, 100))).toEqual([...onStreet].sort());
    expect(numbers(selectForLabels(index, { street: 'тестова', type: 'pole', district: west.code }, 100))).toEqual(
      objects
        .filter((o, i) => i < 20 && o.type === 'pole' && o.address !== null)
        .map((o) => o.number)
        .sort(),
    );
    expect(numbers(selectForLabels(index, { street: 'Соборна' }, 100))).toEqual([]);
    expect(numbers(selectForLabels(index, { district: 'nowhere' }, 100))).toEqual([]);
  });

  it('orders numbers as a person would: by their digits as numbers', () => {
    const odd = ['X-10', 'X-9', 'X-100'].map((number) => ({ ...(objects[0] as (typeof objects)[0]), number }));
    expect(numbers(selectForLabels(ObjectIndex.build(odd), {}, 10))).toEqual(['X-9', 'X-10', 'X-100']);
  });

  it('says when more objects match than a request may print', () => {
    expect(selectForLabels(index, { district: west.code }, 19)).toEqual({ tooMany: true });
    expect(selectForLabels(index, { district: west.code }, 20)).toHaveProperty('objects');
    expect(selectForLabels(index, { street: 'тестова' }, 3)).toEqual({ tooMany: true });
  });

  it('compares streets without case, extra blanks or the kind of apostrophe', () => {
    expect(streetKey('  Вул.  ПАМ’ЯТІ ')).toBe("вул. пам'яті");
    expect(streetKey("пам'яті")).toBe(streetKey('ПамʼЯті'));
  });
});
