import os from 'node:os';
import { benchAlarms } from './alarms.ts';
import { benchCodecs } from './codecs.ts';
import { benchDashboard } from './dashboard.ts';
import { benchEmbeddedDb } from './embedded-db.ts';
import { benchIngest } from './ingest.ts';
import { type BenchResult, printResult } from './report.ts';
import { benchTwin } from './twin.ts';

/** `pnpm bench [name...]`: runs the named benchmarks (all by default) and prints their figures. */
const BENCHES: Record<string, () => Promise<BenchResult>> = {
  alarms: benchAlarms,
  codecs: benchCodecs,
  dashboard: benchDashboard,
  'embedded-db': benchEmbeddedDb,
  ingest: benchIngest,
  twin: benchTwin,
};

const wanted = process.argv.slice(2).filter((a) => a !== '--');
const names = wanted.length > 0 ? wanted : Object.keys(BENCHES);
console.log(
  `# pnpm bench ${names.join(' ')} - ${os.cpus().length} cores, ${os.cpus()[0]?.model ?? ''}, node ${process.version}`,
);
for (const name of names) {
  const bench = BENCHES[name];
  if (!bench) {
    console.error(`unknown benchmark "${name}"; known: ${Object.keys(BENCHES).join(', ')}`);
    process.exit(2);
  }
  printResult(await bench());
}
