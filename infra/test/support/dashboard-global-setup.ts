import { ensureDashboardBuilt } from '../../src/dashboard-build.ts';

/**
 * Vitest's global setup: the dashboard built once before any suite starts, so that the browser
 * suites' platforms (each `pnpm start`'s process, which builds when the sources changed) find it
 * built instead of building it side by side. A failed build does not stop the other suites: it is
 * printed, and the browser suites fail on the pages it did not make.
 */
export default async function setup(): Promise<void> {
  try {
    const build = await ensureDashboardBuilt();
    if (build.built) console.log(`dashboard built in ${build.seconds.toFixed(1)} s`);
  } catch (err) {
    console.error((err as Error).message);
  }
}
