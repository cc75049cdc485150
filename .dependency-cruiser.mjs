// The import rules of ARCHITECTURE.md ("Which part may import which"), checked by `pnpm boundaries`
// (part of `pnpm check`); infra/test/boundaries.test.ts breaks each rule on a fixture tree.
//
// Paths are relative to the repo root and resolved to real files: pnpm's workspace links are followed,
// so `@city/twin` and `../../twin/src/index.ts` are both `twin/src/index.ts`. A bare `@city/...` that
// does not resolve (not a dependency of the importer, or a subpath the package does not export) keeps
// the name it was written with, so the rules match that spelling too.
//
// dependency-cruiser is held at 17.x: 18 refuses to run on Node 20, and the project supports Node >= 20.19.
import { readFileSync } from 'node:fs';

const escapeRegExp = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Files under the given top-level folders, or an unresolved `@city/<folder>` import of them. */
const within = (...dirs) => `^(${dirs.join('|')})/|^@city/(${dirs.join('|')})(/|$)`;

const CONTRACT = '^(ingest|twin)/src/contract/|^@city/(ingest|twin)/contract$';

/**
 * A package's entry points are its package.json `exports`: the files they map to (`ingest/src/index.ts`) and
 * the specifiers they export (`@city/ingest/contract`). dashboard has none (it is an app, not a library), so nothing may reach into it.
 */
function entryPoints(dir) {
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(new URL(`./${dir}/package.json`, import.meta.url), 'utf8'));
  } catch (error) {
    if (error.code === 'ENOENT') return [];
    throw error;
  }
  const { name, exports } = manifest;
  const subpaths =
    exports && typeof exports === 'object' && Object.keys(exports).some((key) => key.startsWith('.'))
      ? exports
      : { '.': exports };
  const files = [];
  const collect = (value) => {
    if (typeof value === 'string') files.push(`${dir}/${value.replace(/^\.\//, '')}`);
    else if (value && typeof value === 'object') Object.values(value).forEach(collect);
  };
  collect(Object.values(subpaths));
  const specifiers = name ? Object.keys(subpaths).map((key) => `${name}${key.slice(1)}`) : [];
  return [...files, ...specifiers].map((path) => `^${escapeRegExp(path).replace(/\\\*/g, '.+')}$`);
}

const ENTRY_POINTS = ['ingest', 'twin', 'firmware-sim', 'dashboard'].flatMap(entryPoints);

/** @type {import('dependency-cruiser').IConfiguration} */
export default {
  forbidden: [
    {
      name: 'ingest-not-to-twin-or-dashboard',
      comment:
        'Data flows ingest -> twin -> dashboard: ingest is upstream and must run without them (headless, several ' +
        'processes), so it imports nothing of twin or dashboard, not even their contracts.',
      severity: 'error',
      from: { path: '^ingest/' },
      to: { path: within('twin', 'dashboard') },
    },
    {
      name: 'contract-imports-only-contracts',
      comment:
        'Contracts (ingest/src/contract, twin/src/contract) are leaf modules any package may import, the browser ' +
        'included: they import other contracts and npm libraries (schemas), never server code or node: builtins.',
      severity: 'error',
      from: { path: '^(ingest|twin)/src/contract/' },
      to: { pathNot: [CONTRACT, '(^|/)node_modules/'] },
    },
    {
      name: 'firmware-sim-only-contracts',
      comment:
        "firmware-sim's encoders are an independent implementation of the devices: it may share ingest's and " +
        "twin's contracts, never their code (the round-trip tests in infra are where the two meet).",
      severity: 'error',
      from: { path: '^firmware-sim/' },
      to: { path: within('ingest', 'twin'), pathNot: CONTRACT },
    },
    {
      name: 'dashboard-only-contracts',
      comment:
        'The dashboard is browser code: it speaks to the servers through the typed client contracts (event map, ' +
        'API types) and never imports server code.',
      severity: 'error',
      from: { path: '^dashboard/' },
      to: { path: within('ingest', 'twin', 'firmware-sim'), pathNot: CONTRACT },
    },
    {
      name: 'dashboard-no-node-builtins',
      comment: "The dashboard's pages run in browsers: Node's built-in modules are not there (its tests run in Node).",
      severity: 'error',
      from: { path: '^dashboard/src/', pathNot: '\\.test\\.tsx?$' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'store-not-to-pipeline',
      comment:
        "ingest's store is the layer under the pipeline: the pipeline writes through the store, the store knows " +
        'nothing of the pipeline.',
      severity: 'error',
      from: { path: '^ingest/src/store/' },
      to: { path: '^ingest/src/pipeline/' },
    },
    {
      name: 'nothing-imports-infra',
      comment: 'infra composes the services (embedded mode, end-to-end tests, benchmarks); nothing depends on it.',
      severity: 'error',
      from: { pathNot: '^infra/' },
      to: { path: within('infra') },
    },
    {
      name: 'no-deep-import',
      comment:
        'A package reaches another only through its entry points (its package.json exports), never into its src: ' +
        'what a package does not export may change without notice.',
      severity: 'error',
      from: { path: '^(ingest|twin|firmware-sim|dashboard|infra)/' },
      to: {
        path: ['^(ingest|twin|firmware-sim|dashboard)/', '^@city/[^/]+/'],
        pathNot: ['^$1/', ...ENTRY_POINTS],
      },
    },
    {
      name: 'no-circular',
      comment: 'A cycle makes two modules one: neither can be understood, tested or loaded without the other.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'not-to-unresolvable',
      comment:
        'An import that does not resolve cannot be checked by the rules above (e.g. a workspace package that is ' +
        "not in the importer's package.json).",
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: '(^|/)node_modules/' },
    exclude: { path: '(^|/)(node_modules|dist|data|coverage)/' },
    // `import type` is an import too.
    tsPreCompilationDeps: true,
    enhancedResolveOptions: {
      // Workspace packages are reached through their package.json exports, as Node and tsc reach them.
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'types', 'default'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
    skipAnalysisNotInRules: true,
  },
};
