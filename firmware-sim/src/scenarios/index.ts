import { burst } from './burst.ts';
import { cabinet } from './cabinet.ts';
import { overflow } from './overflow.ts';
import { rejoin } from './rejoin.ts';
import type { Scenario } from './scenario.ts';
import { smog } from './smog.ts';

export type { Scenario } from './scenario.ts';

/** Every scripted incident, by the name `pnpm sim --scenario` takes. Adding one: one file, one line here. */
export const SCENARIOS: readonly Scenario[] = [burst, smog, cabinet, overflow, rejoin];

export function findScenario(name: string): Scenario | undefined {
  return SCENARIOS.find((s) => s.name === name);
}
