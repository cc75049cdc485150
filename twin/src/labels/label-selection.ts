import type { ObjectIndex } from '../objects/object-index.ts';
import type { CityObjectRecord } from '../objects/object-record.ts';

/** Which objects get labels: those of a district, of a type, on a street, or any mix of them. */
export interface LabelSelection {
  district?: string;
  type?: string;
  /** Part of the address, in any case. */
  street?: string;
}

export type Selected = { objects: CityObjectRecord[] } | { tooMany: true };

/** Numbers in the order a person files them: `ОП-03-00417` before `ОП-03-01000`, `ОП-3-9` before `ОП-3-10`. */
const byNumber = new Intl.Collator('uk', { numeric: true, sensitivity: 'base' });

/**
 * The selected objects in number order, or `tooMany` when more than `max` match. Without a
 * street the index stops at max + 1; a street is matched on every object of the district and
 * type (all of them without either), which a 100k city scans in tens of milliseconds.
 */
export function selectForLabels(objects: Pick<ObjectIndex, 'list'>, selection: LabelSelection, max: number): Selected {
  const { district, type, street } = selection;
  let found: CityObjectRecord[];
  if (street === undefined) {
    found = objects.list({ district, type, limit: max + 1 });
  } else {
    const part = streetKey(street);
    found = [];
    for (const object of objects.list({ district, type })) {
      if (object.address !== null && streetKey(object.address).includes(part)) found.push(object);
      if (found.length > max) break;
    }
  }
  if (found.length > max) return { tooMany: true };
  return { objects: found.sort((a, b) => byNumber.compare(a.number, b.number)) };
}

/** An address as a street filter compares it: lower case, one space between words, one apostrophe (`Пам’яті` = `Пам'яті`). */
export function streetKey(text: string): string {
  return text
    .toLocaleLowerCase('uk')
    .replace(/[’ʼ`‘]/g, "'")
    .replace(/\s+/g, ' ')
    .trim();
}
