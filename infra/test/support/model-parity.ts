/**
 * Holds two registries of device models to one list: ingest's codecs and firmware-sim's
 * encoders must name the same model ids, each once.
 */

/** One registry's model ids, under the name a failure gives that side. */
export interface ModelList {
  side: string;
  models: readonly string[];
}

export type ParityProblem =
  | { kind: 'missing'; model: string; side: string; foundIn: string }
  | { kind: 'duplicate'; model: string; side: string; times: number };

/**
 * What keeps `a` and `b` from holding the same models: per side, the models only the other side
 * has, then the models it registers more than once; each group sorted by model id. Empty when
 * the two agree.
 */
export function compareModels(a: ModelList, b: ModelList): ParityProblem[] {
  const problems: ParityProblem[] = [];
  for (const [side, other] of [
    [a, b],
    [b, a],
  ] as const) {
    const has = new Set(side.models);
    for (const model of sorted(new Set(other.models)))
      if (!has.has(model)) problems.push({ kind: 'missing', model, side: side.side, foundIn: other.side });
    const counts = new Map<string, number>();
    for (const model of side.models) counts.set(model, (counts.get(model) ?? 0) + 1);
    for (const model of sorted(counts.keys())) {
      const times = counts.get(model) ?? 0;
      if (times > 1) problems.push({ kind: 'duplicate', model, side: side.side, times });
    }
  }
  return problems;
}

/** A problem as the line a failing test prints: the model first, then the side it concerns. */
export function describeProblem(problem: ParityProblem): string {
  return problem.kind === 'missing'
    ? `${problem.model} is missing from ${problem.side} (${problem.foundIn} has it)`
    : `${problem.model} is registered ${problem.times} times in ${problem.side}`;
}

const sorted = (models: Iterable<string>) => [...models].sort();
