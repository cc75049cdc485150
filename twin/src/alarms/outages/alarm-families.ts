import { readFileSync } from 'node:fs';
import { Type } from 'typebox';
import { Value } from 'typebox/value';
import { AlarmFamily } from '../../contract/alarms.ts';

/** The families' file, beside src/ and dist/ alike: a city tunes its outages there, not in code. */
export const ALARM_FAMILIES_FILE = new URL('../../../reference-data/alarm-families.json', import.meta.url);

const FamiliesFile = Type.Object({
  $comment: Type.Optional(Type.String()),
  families: Type.Array(AlarmFamily),
});

/** The alarm families, by kind and by member alarm type (a type belongs to one family at most). */
export class AlarmFamilies {
  readonly #byType: ReadonlyMap<string, AlarmFamily>;
  readonly #byKind: ReadonlyMap<string, AlarmFamily>;

  constructor(readonly list: readonly AlarmFamily[]) {
    this.#byKind = new Map(list.map((f) => [f.kind, f]));
    if (this.#byKind.size !== list.length) throw new Error('alarm families: a kind appears twice');
    const byType = new Map<string, AlarmFamily>();
    for (const family of list) {
      for (const type of family.alarmTypes) {
        if (byType.has(type)) throw new Error(`alarm families: ${type} belongs to two families`);
        byType.set(type, family);
      }
      const strangers = (family.openedBy ?? []).filter((t) => !family.alarmTypes.includes(t));
      if (strangers.length > 0) throw new Error(`alarm families: ${family.kind} is opened by non-members ${strangers}`);
    }
    this.#byType = byType;
  }

  ofType(alarmType: string): AlarmFamily | undefined {
    return this.#byType.get(alarmType);
  }

  get(kind: string): AlarmFamily | undefined {
    return this.#byKind.get(kind);
  }

  /** Reads and checks a families file (default: twin/reference-data/alarm-families.json). */
  static load(file: URL = ALARM_FAMILIES_FILE): AlarmFamilies {
    const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
    if (!Value.Check(FamiliesFile, parsed)) {
      const first = [...Value.Errors(FamiliesFile, parsed)][0];
      throw new Error(`${file.pathname}: ${first ? `${first.instancePath || '/'} ${first.message}` : 'not valid'}`);
    }
    return new AlarmFamilies(parsed.families);
  }
}
