import { ensureDashboardBuilt } from '../../src/dashboard-build.ts';

/**
 * Vitest's global setup: the dashboard built once before any suite starts, so that the browser
 * suites' platforms (each `pnpm start`'s process, which builds when the sources changed) find it
 * built instead of building it side by side.
 */
export default async function setup(): Promise<void> {
  const build = await ensureDashboardBuilt();
  if (build.built) console.log(`dashboard built in ${build.seconds.toFixed(1)} s`);
}
