/**
 * Small integer ids for the few distinct strings a column of the index repeats (object types,
 * district codes, utilities): the index keeps one byte or two per object instead of a pointer,
 * and compares integers when it filters. Id 0 is null.
 */
export class Vocabulary {
  private readonly ids = new Map<string, number>();
  private readonly names: (string | null)[] = [null];

  constructor(private readonly maxId: number) {}

  /** The id of `name`, given one if new; 0 for null. */
  id(name: string | null): number {
    if (name === null) return 0;
    let id = this.ids.get(name);
    if (id === undefined) {
      id = this.names.length;
      if (id > this.maxId)
        throw new Error(`more than ${this.maxId} distinct values; the index stores at most that many`);
      this.ids.set(name, id);
      this.names.push(name);
    }
    return id;
  }

  /** The id of `name` if it has one: -1 for a name never seen (no object has it). */
  find(name: string): number {
    return this.ids.get(name) ?? -1;
  }

  name(id: number): string | null {
    return this.names[id] ?? null;
  }

  get count(): number {
    return this.names.length;
  }
}
