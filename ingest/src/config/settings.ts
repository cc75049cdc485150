/**
 * The machinery of the platform's one settings schema: each setting has its environment
 * variable, default, parser and doc line. Each package contributes a section (ingest's is
 * `INGEST_SETTINGS`); a process loads the sections it runs, and `loadSettings` fails at
 * startup with one message that lists every bad value, rather than at first use.
 */

type Parser<T> = (raw: string) => T;

export interface Setting<T> {
  env: string;
  default: T;
  parse: Parser<T>;
  doc: string;
}

export type SettingsSection = Record<string, Setting<unknown>>;

/** The values a section (or several spread into one) describes. */
export type ConfigOf<S extends SettingsSection> = { -readonly [K in keyof S]: S[K]['default'] };

export const int: Parser<number> = (raw) => {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new Error(`expected a non-negative integer, got "${raw}"`);
  return n;
};
export const text: Parser<string> = (raw) => raw;
export const optionalText: Parser<string | undefined> = (raw) => (raw === '' ? undefined : raw);
export const oneOf =
  <T extends string>(...values: T[]): Parser<T> =>
  (raw) => {
    if (!(values as string[]).includes(raw)) throw new Error(`expected one of ${values.join(', ')}, got "${raw}"`);
    return raw as T;
  };

export function setting<T>(env: string, def: T, parse: Parser<T>, doc: string): Setting<T> {
  return { env, default: def, parse, doc };
}

export class ConfigError extends Error {}

export function loadSettings<S extends SettingsSection>(
  settings: S,
  env: NodeJS.ProcessEnv = process.env,
  overrides: Partial<ConfigOf<S>> = {},
): ConfigOf<S> {
  const problems: string[] = [];
  const config = {} as Record<string, unknown>;
  for (const [key, s] of Object.entries(settings)) {
    const raw = env[s.env];
    if (raw === undefined) {
      config[key] = s.default;
      continue;
    }
    try {
      config[key] = s.parse(raw.trim());
    } catch (err) {
      problems.push(`${s.env}: ${(err as Error).message}`);
    }
  }
  if (problems.length > 0) throw new ConfigError(`invalid configuration:\n  ${problems.join('\n  ')}`);
  return { ...(config as ConfigOf<S>), ...overrides };
}
