import { readFileSync } from 'node:fs';
import { Type } from 'typebox';
import { Value } from 'typebox/value';
import { ReportCategory } from '../contract/reports.ts';

/** The categories' file, beside src/ and dist/ alike: a city changes SLAs, labels and merge windows there, not in code. */
export const REPORT_CATEGORIES_FILE = new URL('../../reference-data/report-categories.json', import.meta.url);

const CategoriesFile = Type.Object({
  $comment: Type.Optional(Type.String()),
  categories: Type.Array(ReportCategory, { minItems: 1 }),
});

/** The report categories residents choose from, with each one's SLA, merge window and default utility. */
export class ReportCategories {
  readonly #byId: ReadonlyMap<string, ReportCategory>;

  constructor(readonly list: readonly ReportCategory[]) {
    this.#byId = new Map(list.map((c) => [c.id, c]));
    if (this.#byId.size !== list.length) throw new Error('report categories: an id appears twice');
  }

  get(id: string): ReportCategory | undefined {
    return this.#byId.get(id);
  }

  /** Reads and checks a categories file (default: twin/reference-data/report-categories.json). */
  static load(file: URL = REPORT_CATEGORIES_FILE): ReportCategories {
    const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
    if (!Value.Check(CategoriesFile, parsed)) {
      const first = [...Value.Errors(CategoriesFile, parsed)][0];
      throw new Error(`${file.pathname}: ${first ? `${first.instancePath || '/'} ${first.message}` : 'not valid'}`);
    }
    return new ReportCategories(parsed.categories);
  }
}
