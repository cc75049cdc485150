// Proves each import rule of .dependency-cruiser.mjs (run on the real tree by `pnpm boundaries`) fails when it
// is broken: every case lays out a small tree shaped like the repo in a temporary folder, with
// node_modules/@city links as pnpm makes them, and cruises it with the same rule set.
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cruise, type ICruiseOptions, type ICruiseResult } from 'dependency-cruiser';
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const CONFIG = fileURLToPath(new URL('../../.dependency-cruiser.mjs', import.meta.url));
const PACKAGES = ['ingest', 'twin', 'firmware-sim', 'dashboard', 'infra'];

type Files = Record<string, string>;

const manifest = (name: string, exports?: Record<string, string>) =>
  JSON.stringify({ name, private: true, type: 'module', ...(exports ? { exports } : {}) });

/** The packages' entry points, as in the real workspace; cases add the files that import. */
const BASE: Files = {
  'ingest/package.json': manifest('@city/ingest', { '.': './src/index.ts', './contract': './src/contract/index.ts' }),
  'ingest/src/index.ts': 'export const ingest = 1;\n',
  'ingest/src/contract/index.ts': 'export type Metric = string;\n',
  'ingest/src/store/db.ts': 'export const db = 1;\n',
  'ingest/src/pipeline/batch.ts': 'export const batch = 1;\n',
  'twin/package.json': manifest('@city/twin', { '.': './src/index.ts', './contract': './src/contract/index.ts' }),
  'twin/src/index.ts': 'export interface Twin { id: number }\n',
  'twin/src/contract/index.ts': 'export type ObjectType = string;\n',
  'twin/src/objects/store.ts': 'export const objects = 1;\n',
  'firmware-sim/package.json': manifest('@city/firmware-sim', { '.': './src/index.ts' }),
  'firmware-sim/src/index.ts': 'export const fleet = 1;\n',
  'infra/package.json': manifest('@city/infra'),
  'infra/src/embedded.ts': 'export const embedded = 1;\n',
  // An npm library, as a contract may use for its schemas.
  'node_modules/typebox/package.json': JSON.stringify({ name: 'typebox', exports: { '.': './index.js' } }),
  'node_modules/typebox/index.js': 'export const Type = {};\n',
};
// No package depends on the dashboard (an app), so `@city/dashboard` does not resolve, as in the real workspace.
const LINKED = ['ingest', 'twin', 'firmware-sim', 'infra'];

interface Case {
  name: string;
  files: Files;
  rules: string[];
}

const CASES: Case[] = [
  {
    name: 'ingest imports twin (type-only, through its entry point)',
    files: { 'ingest/src/x.ts': "import type { Twin } from '@city/twin';\nexport type T = Twin;\n" },
    rules: ['ingest-not-to-twin-or-dashboard'],
  },
  {
    name: "ingest imports twin's contract by a relative path",
    files: { 'ingest/src/x.ts': "export * from '../../twin/src/contract/index.ts';\n" },
    rules: ['ingest-not-to-twin-or-dashboard'],
  },
  {
    name: 'ingest imports the dashboard, which is no dependency of it',
    files: { 'ingest/src/x.ts': "import '@city/dashboard';\n" },
    rules: ['ingest-not-to-twin-or-dashboard', 'not-to-unresolvable'],
  },
  {
    name: "ingest's contract imports the store",
    files: { 'ingest/src/contract/x.ts': "export { db } from '../store/db.ts';\n" },
    rules: ['contract-imports-only-contracts'],
  },
  {
    name: "twin's contract imports ingest's server entry point",
    files: { 'twin/src/contract/x.ts': "export { ingest } from '@city/ingest';\n" },
    rules: ['contract-imports-only-contracts'],
  },
  {
    name: 'a contract imports a node: builtin',
    files: { 'twin/src/contract/x.ts': "import type { Buffer } from 'node:buffer';\nexport type B = Buffer;\n" },
    rules: ['contract-imports-only-contracts'],
  },
  {
    name: 'firmware-sim imports ingest outside its contract',
    files: { 'firmware-sim/test/x.test.ts': "import { ingest } from '@city/ingest';\nexport const y = ingest;\n" },
    rules: ['firmware-sim-only-contracts'],
  },
  {
    name: 'the dashboard imports server code',
    files: { 'dashboard/src/x.ts': "import type { Twin } from '@city/twin';\nexport type T = Twin;\n" },
    rules: ['dashboard-only-contracts'],
  },
  {
    name: "the dashboard imports one of Node's built-in modules",
    files: { 'dashboard/src/x.ts': "import { readFileSync } from 'node:fs';\nexport const read = readFileSync;\n" },
    rules: ['dashboard-no-node-builtins'],
  },
  {
    name: "ingest's store imports the pipeline",
    files: { 'ingest/src/store/x.ts': "export { batch } from '../pipeline/batch.ts';\n" },
    rules: ['store-not-to-pipeline'],
  },
  {
    name: 'twin imports infra',
    files: { 'twin/src/x.ts': "export { embedded } from '../../infra/src/embedded.ts';\n" },
    rules: ['nothing-imports-infra'],
  },
  {
    name: 'firmware-sim imports infra by its package name',
    files: { 'firmware-sim/src/x.ts': "import '@city/infra';\n" },
    rules: ['nothing-imports-infra', 'not-to-unresolvable'],
  },
  {
    name: "infra reaches into ingest's src",
    files: { 'infra/test/x.ts': "export { db } from '../../ingest/src/store/db.ts';\n" },
    rules: ['no-deep-import'],
  },
  {
    name: "twin imports a subpath ingest's package does not export",
    files: { 'twin/src/x.ts': "export { db } from '@city/ingest/src/store/db.ts';\n" },
    rules: ['no-deep-import', 'not-to-unresolvable'],
  },
  {
    name: 'two modules import each other',
    files: {
      'twin/src/a.ts': "import { b } from './b.ts';\nexport const a = () => b;\n",
      'twin/src/b.ts': "import { a } from './a.ts';\nexport const b = () => a;\n",
    },
    rules: ['no-circular'],
  },
];

const ALLOWED: Files = {
  'twin/src/readings.ts': [
    "import { ingest } from '@city/ingest';",
    "import type { Metric } from '@city/ingest/contract';",
    'export const readings = (metric: Metric) => [ingest, metric];',
  ].join('\n'),
  'twin/src/contract/x.ts': [
    "import type { Metric } from '@city/ingest/contract';",
    "import { Type } from 'typebox';",
    "import type { ObjectType } from './index.ts';",
    'export const schema = Type;',
    'export type Pair = [Metric, ObjectType];',
  ].join('\n'),
  'ingest/src/contract/x.ts': "export type { Metric } from './index.ts';\n",
  'ingest/src/pipeline/x.ts': "import { db } from '../store/db.ts';\nexport const x = db;\n",
  'firmware-sim/src/x.ts': [
    "import type { ObjectType } from '@city/twin/contract';",
    "import type { Metric } from '@city/ingest/contract';",
    "import { readFileSync } from 'node:fs';",
    'export type Pair = [Metric, ObjectType];',
    'export const read = readFileSync;',
  ].join('\n'),
  'dashboard/src/x.ts': "import type { ObjectType } from '@city/twin/contract';\nexport type T = ObjectType;\n",
  'infra/src/x.ts': [
    "import { fleet } from '@city/firmware-sim';",
    "import { ingest } from '@city/ingest';",
    "import type { Twin } from '@city/twin';",
    "import type { ObjectType } from '@city/twin/contract';",
    "import { embedded } from './embedded.ts';",
    'export const all = [fleet, ingest, embedded];',
    'export type T = [Twin, ObjectType];',
  ].join('\n'),
};

let root: string;
let options: ICruiseOptions;
let caseNumber = 0;

beforeAll(async () => {
  root = realpathSync(mkdtempSync(join(tmpdir(), 'boundaries-')));
  options = await extractDepcruiseOptions(CONFIG);
});

afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

/** Lays out BASE plus `files` in a fresh folder, cruises it and returns the violations. */
async function cruiseTree(files: Files) {
  caseNumber += 1;
  const dir = join(root, String(caseNumber));
  for (const [path, content] of Object.entries({ ...BASE, ...files })) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  mkdirSync(join(dir, 'node_modules/@city'), { recursive: true });
  for (const name of LINKED) symlinkSync(`../../${name}`, join(dir, 'node_modules/@city', name));

  const present = PACKAGES.filter((name) => Object.keys({ ...BASE, ...files }).some((p) => p.startsWith(`${name}/`)));
  const { output } = await cruise(present, { ...options, baseDir: dir });
  return (output as ICruiseResult).summary.violations;
}

describe('import rules of ARCHITECTURE.md', () => {
  it.each(CASES)('fails when $name', async ({ files, rules }) => {
    const violations = await cruiseTree(files);
    expect([...new Set(violations.map((violation) => violation.rule.name))].sort()).toEqual([...rules].sort());
    for (const violation of violations) expect(Object.keys(files)).toContain(violation.from);
  });

  it('passes the imports the architecture allows', async () => {
    expect(await cruiseTree(ALLOWED)).toEqual([]);
  });

  it('has a failing case for every rule of the config', () => {
    const ruleNames = (options.ruleSet?.forbidden ?? []).map((rule) => rule.name);
    expect(ruleNames.length).toBeGreaterThan(0);
    expect([...new Set(CASES.flatMap((c) => c.rules))].sort()).toEqual([...ruleNames].sort());
  });
});
