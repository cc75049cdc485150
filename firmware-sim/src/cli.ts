import { readFile, writeFile } from 'node:fs/promises';
import mqtt from 'mqtt';
import { type City, demoCity, type FeatureCollection, importCity, toGeoJSON } from './city/index.ts';
import { parseOptions, type SimOptions, USAGE, UsageError } from './cli/options.ts';
import { makeFleet } from './fleet.ts';
import { OUTPUTS } from './outputs/index.ts';
import { type FleetRun, runFleet } from './player.ts';

/** `pnpm sim`: plays a city's devices against an MQTT broker; `--help` says how. */
async function main(argv: string[]): Promise<void> {
  const options = parseOptions(argv);
  if (options === 'help') {
    process.stdout.write(USAGE);
    return;
  }
  const city = await loadCity(options);
  if (options.writeCity) {
    await writeCity(city, options.writeCity);
    return;
  }
  const fleet = makeFleet({
    seed: options.seed,
    applicationId: options.applicationId,
    start: options.start,
    city,
    count: options.devices,
  });
  const client = await connect(options.mqtt);
  const run = runFleet(
    fleet,
    (topic, payload) => client.publishAsync(topic, Buffer.from(payload), { qos: options.qos }),
    {
      speed: options.speed,
      seed: options.seed,
      start: options.start,
      ...(options.durationS === undefined ? {} : { durationMs: options.durationS * 1000 }),
      output: OUTPUTS[options.output]({ marshaler: options.marshaler }),
      scenarios: options.scenarios.map((scenario) => ({ scenario, atMs: options.start + options.scenarioAtS * 1000 })),
      timestamps: options.timestamps,
    },
  );
  const scenarios = options.scenarios.map((s) => s.name).join(', ') || 'none';
  process.stderr.write(
    `firmware-sim: ${fleet.length} devices, ${city.objects.length} objects${city.synthetic ? ' (synthetic demo city)' : ''}, ` +
      `output ${options.output}${options.output === 'chirpstack' ? `/${options.marshaler}` : ''} to ${withoutCredentials(options.mqtt)}, scenarios: ${scenarios}\n`,
  );
  const progress = startProgress(run, options.start);
  process.once('SIGINT', () => void run.stop());
  await run.done;
  progress.stop();
  await client.endAsync();
  if (run.failed > 0) {
    process.stderr.write(`firmware-sim: the broker refused ${run.failed} publishes\n`);
    process.exitCode = 1;
  }
}

async function loadCity(options: SimOptions): Promise<City> {
  if (!options.objects) return demoCity(options.seed, options.devices);
  const collection = JSON.parse(await readFile(options.objects, 'utf8')) as FeatureCollection;
  if (collection?.type !== 'FeatureCollection')
    throw new UsageError(`${options.objects} is not a GeoJSON FeatureCollection`);
  const { city, skipped } = importCity(collection, options.seed, options.devices);
  if (skipped > 0) process.stderr.write(`firmware-sim: skipped ${skipped} points without a known type and a number\n`);
  return city;
}

async function writeCity(city: City, file: string): Promise<void> {
  await writeFile(file, JSON.stringify(toGeoJSON(city)));
  await writeFile(`${file}.devices.json`, JSON.stringify(city.devices, null, 1));
  process.stderr.write(
    `firmware-sim: wrote ${city.objects.length} objects in ${city.districts.length} districts to ${file}, ` +
      `${city.devices.length} devices to ${file}.devices.json\n`,
  );
}

async function connect(url: string) {
  try {
    return await mqtt.connectAsync(url, {
      clientId: `firmware-sim-${process.pid}`,
      reconnectPeriod: 1000,
      connectTimeout: 10_000,
    });
  } catch (err) {
    const { message } = err as Error;
    // pnpm start's broker admits only its accounts (README, Security).
    const hint = /username|authori[sz]ed/i.test(message)
      ? '; put the account in the URL: mqtt://user:password@host:port'
      : '';
    throw new UsageError(`cannot reach the MQTT broker at ${withoutCredentials(url)}: ${message}${hint}`);
  }
}

/** The broker's URL as it may be printed: the password never is. */
function withoutCredentials(url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//***@');
}

/**
 * One line on stderr, rewritten in place on a terminal (a line every ten seconds otherwise):
 * uplinks and joins sent, the rate over the last second, the simulated clock.
 */
function startProgress(run: FleetRun, start: number) {
  const tty = process.stderr.isTTY === true;
  const began = performance.now();
  let last = { at: performance.now(), sent: 0 };
  let rate = 0;
  let lines = 0;
  const line = () => {
    const now = performance.now();
    const sent = run.uplinks + run.joins;
    rate = ((sent - last.sent) * 1000) / Math.max(1, now - last.at);
    last = { at: now, sent };
    const clock = new Date(run.simTime).toISOString().slice(0, 16).replace('T', ' ');
    const joins = run.joins > 0 ? `, ${run.joins.toLocaleString('en')} joins` : '';
    return `${run.uplinks.toLocaleString('en')} uplinks${joins} · ${Math.round(rate).toLocaleString('en')}/s · sim ${clock} UTC (+${elapsed(run.simTime - start)})`;
  };
  const timer = setInterval(() => {
    const text = line();
    if (tty) process.stderr.write(`\r${text}\x1b[K`);
    else if (lines++ % 10 === 0) process.stderr.write(`${text}\n`);
  }, 1000);
  return {
    stop: () => {
      clearInterval(timer);
      const seconds = (performance.now() - began) / 1000;
      const average = Math.round((run.uplinks + run.joins) / Math.max(seconds, 0.001)).toLocaleString('en');
      process.stderr.write(
        `${tty ? '\r' : ''}${line()}\x1b[K\nfirmware-sim: done in ${seconds.toFixed(1)} s, ${average} messages/s on average\n`,
      );
    },
  };
}

function elapsed(ms: number): string {
  const minutes = Math.floor(ms / 60_000);
  const days = Math.floor(minutes / 1440);
  const hm = `${Math.floor((minutes % 1440) / 60)}h${String(minutes % 60).padStart(2, '0')}m`;
  return days > 0 ? `${days}d${hm}` : hm;
}

main(process.argv.slice(2)).catch((err: Error) => {
  if (err instanceof UsageError) {
    process.stderr.write(`pnpm sim: ${err.message}\n(pnpm sim --help lists the options)\n`);
    process.exit(2);
  }
  process.stderr.write(`${err.stack ?? err}\n`);
  process.exit(1);
});
