import type { Device, ObjectStaffView, ReportCategory, SeriesPoint } from '@city/twin/contract';
import { Fragment } from 'preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { withQuery } from '../shared/api.ts';
import { fill, type Lang, label } from '../shared/i18n.ts';
import { incidentStatusLabel } from '../shared/incident-status-labels.ts';
import { type ChartSeries, ReadingsChart } from '../shared/readings-chart.tsx';
import { errorText, useDesk } from './desk-api.ts';
import { formatTime } from './item-detail.tsx';
import { alarmTypeLabel, type DeskStrings, SEVERITY_KEYS } from './strings.ts';

export interface ObjectCardProps {
  number: string;
  t: DeskStrings;
  lang: Lang;
  categories: ReadonlyMap<string, ReportCategory>;
  onClose(): void;
}

const RANGES = { '1h': 3_600_000, '24h': 86_400_000, '7d': 7 * 86_400_000 } as const;
type RangeId = keyof typeof RANGES | 'custom';
/** `raw`, or the API's bucket width. */
const BUCKETS = ['raw', '5m', '1h'] as const;
type BucketId = (typeof BUCKETS)[number];
/** Points one chart asks for at most: a week of 5-minute readings fits. */
const READINGS_LIMIT = 10_000;

/**
 * An object's card: what it is and where, its live state, open alarms and incidents
 * (GET /objects/{number}), the devices on it (GET /devices?objectNumber=) and a chart of a
 * device's readings over a chosen range and bucket.
 */
export function ObjectCard({ number, t, lang, categories, onClose }: ObjectCardProps) {
  const { call } = useDesk();
  const [object, setObject] = useState<ObjectStaffView | null>(null);
  const [devices, setDevices] = useState<Device[]>([]);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    setObject(null);
    setError(null);
    Promise.all([
      call<ObjectStaffView>(`/api/v1/objects/${encodeURIComponent(number)}`),
      call<Device[]>(withQuery('/api/v1/devices', { objectNumber: number, limit: 50 })),
    ]).then(
      ([o, d]) => {
        if (!live) return;
        setObject(o);
        setDevices(d);
      },
      (err) => live && setError(errorText(err)),
    );
    return () => {
      live = false;
    };
  }, [call, number]);

  return (
    <section class="object-card" aria-labelledby="object-card-title" data-testid="object-card">
      <header class="card-head">
        <h2 id="object-card-title">
          {t.objectCard} {number}
        </h2>
        <button type="button" onClick={onClose} aria-keyshortcuts="Escape">
          {t.closeCard}
        </button>
      </header>
      {error && (
        <p class="error" role="alert">
          {fill(t.failed, { message: error })}
        </p>
      )}
      {!object && !error && <p>{t.loading}</p>}
      {object && (
        <>
          <dl class="facts">
            <dt>{t.filterKind}</dt>
            <dd data-testid="object-type">{label(object.typeLabel, lang, object.type)}</dd>
            <dt>{t.address}</dt>
            <dd>{object.address ?? '—'}</dd>
            <dt>{t.district}</dt>
            <dd>{object.district ? (lang === 'en' && object.district.nameEn) || object.district.name : '—'}</dd>
            <dt>{t.owner}</dt>
            <dd>{object.ownerUtility?.name ?? '—'}</dd>
          </dl>
          <h3>{t.liveState}</h3>
          {object.live ? (
            <dl class="facts live">
              <dt>{t.health}</dt>
              <dd>
                {object.live.health} · {t.lastSeen} {formatTime(object.live.lastSeen, lang)}
              </dd>
              {Object.entries(object.live.metrics).map(([metric, v]) => (
                <Fragment key={metric}>
                  <dt>{metric}</dt>
                  <dd>{v.value}</dd>
                </Fragment>
              ))}
            </dl>
          ) : (
            <p>{t.noLive}</p>
          )}
          <h3>{t.openAlarms}</h3>
          {object.alarms?.length ? (
            <ul class="plain">
              {object.alarms.map((a) => (
                <li key={a.id}>
                  {alarmTypeLabel(a.type, lang)} ({t[SEVERITY_KEYS[a.severity]]}) · {formatTime(a.raisedAt, lang)}
                  {a.acknowledged && ` · ✓ ${t.acknowledged}`}
                </li>
              ))}
            </ul>
          ) : (
            <p>{t.none}</p>
          )}
          <h3>{t.openIncidents}</h3>
          {object.incidents?.length ? (
            <ul class="plain">
              {object.incidents.map((i) => (
                <li key={i.id}>
                  {fill(t.incidentNo, { id: i.id })}: {categories.get(i.category)?.[lang] ?? i.category} ·{' '}
                  {incidentStatusLabel(i.status, lang)}
                  {i.slaBreached && ` · ⚠ ${t.slaOverdueShort}`}
                </li>
              ))}
            </ul>
          ) : (
            <p>{t.none}</p>
          )}
          <ReadingsPanel
            devices={devices}
            liveDevices={Object.values(object.live?.metrics ?? {}).map((v) => v.devEui)}
            t={t}
            lang={lang}
          />
        </>
      )}
    </section>
  );
}

function ReadingsPanel({
  devices,
  liveDevices,
  t,
  lang,
}: {
  devices: Device[];
  liveDevices: string[];
  t: DeskStrings;
  lang: Lang;
}) {
  const { call } = useDesk();
  // The registry's devices; a device the live state names but the list did not (another page of it) too.
  const devEuis = useMemo(
    () => [...new Set([...devices.map((d) => d.devEui), ...liveDevices])],
    [devices, liveDevices.join()],
  );
  const [devEui, setDevEui] = useState('');
  const [range, setRange] = useState<RangeId>('24h');
  const [bucket, setBucket] = useState<BucketId>('raw');
  const [from, setFrom] = useState(() => localInput(Date.now() - RANGES['24h']));
  const [to, setTo] = useState(() => localInput(Date.now()));
  const [points, setPoints] = useState<SeriesPoint[] | null>(null);
  const [metric, setMetric] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const chosen = devEuis.includes(devEui) ? devEui : (devEuis[0] ?? '');

  const load = async () => {
    if (!chosen) return;
    const end = range === 'custom' ? Date.parse(to) : Date.now();
    const start = range === 'custom' ? Date.parse(from) : end - RANGES[range];
    if (!(Number.isFinite(start) && Number.isFinite(end)) || start >= end) {
      setError(`${t.from} < ${t.to}`);
      return;
    }
    setLoading(true);
    setError(null);
    try {
      const path = withQuery(`/api/v1/devices/${encodeURIComponent(chosen)}/readings`, {
        from: new Date(start).toISOString(),
        to: new Date(end).toISOString(),
        bucket: bucket === 'raw' ? undefined : bucket,
        limit: READINGS_LIMIT,
      });
      setPoints(await call<SeriesPoint[]>(path));
    } catch (err) {
      setError(errorText(err));
      setPoints(null);
    } finally {
      setLoading(false);
    }
  };

  useEffect(() => {
    void load();
  }, [chosen, range, bucket]);

  const metrics = useMemo(() => [...new Set((points ?? []).map((p) => p.metric))].sort(), [points]);
  const shown = metrics.includes(metric) ? metric : (metrics[0] ?? '');
  const series = useMemo(() => seriesOf(points ?? [], shown), [points, shown]);

  if (devEuis.length === 0) return <p>{t.noDevices}</p>;
  return (
    <section class="readings" aria-labelledby="readings-title">
      <h3 id="readings-title">{t.readings}</h3>
      <form
        class="readings-form"
        onSubmit={(e) => {
          e.preventDefault();
          void load();
        }}
      >
        <label>
          {t.device}
          <select value={chosen} onChange={(e) => setDevEui(e.currentTarget.value)}>
            {devEuis.map((d) => (
              <option key={d} value={d}>
                {d}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t.metric}
          <select value={shown} onChange={(e) => setMetric(e.currentTarget.value)} data-testid="metric">
            {metrics.map((m) => (
              <option key={m} value={m}>
                {m}
              </option>
            ))}
          </select>
        </label>
        <fieldset class="segmented">
          <legend>{t.range}</legend>
          {(['1h', '24h', '7d', 'custom'] as const).map((r) => (
            <label key={r}>
              <input type="radio" name="range" value={r} checked={range === r} onChange={() => setRange(r)} />
              {t[r === '1h' ? 'range1h' : r === '24h' ? 'range24h' : r === '7d' ? 'range7d' : 'rangeCustom']}
            </label>
          ))}
        </fieldset>
        {range === 'custom' && (
          <>
            <label>
              {t.from}
              <input type="datetime-local" value={from} onInput={(e) => setFrom(e.currentTarget.value)} />
            </label>
            <label>
              {t.to}
              <input type="datetime-local" value={to} onInput={(e) => setTo(e.currentTarget.value)} />
            </label>
          </>
        )}
        <fieldset class="segmented">
          <legend>{t.bucket}</legend>
          {BUCKETS.map((b) => (
            <label key={b}>
              <input type="radio" name="bucket" value={b} checked={bucket === b} onChange={() => setBucket(b)} />
              {t[b === 'raw' ? 'bucketRaw' : b === '5m' ? 'bucket5m' : 'bucket1h']}
            </label>
          ))}
        </fieldset>
        <button type="submit">{t.showReadings}</button>
      </form>
      {error && (
        <p class="error" role="alert">
          {fill(t.failed, { message: error })}
        </p>
      )}
      {loading && <p>{t.loading}</p>}
      {points && series.times.length === 0 && <p>{t.noReadings}</p>}
      {series.times.length > 0 && (
        <>
          <ReadingsChart series={series} label={`${shown}, ${summary(series, t)}`} look="desk" legend />
          <p class="chart-summary" data-testid="readings-summary">
            {shown}: {summary(series, t)} ·{' '}
            {formatTime(new Date((series.times[0] as number) * 1000).toISOString(), lang)} –{' '}
            {formatTime(new Date((series.times.at(-1) as number) * 1000).toISOString(), lang)}
          </p>
        </>
      )}
    </section>
  );
}

function seriesOf(points: SeriesPoint[], metric: string): ChartSeries {
  const mine = points.filter((p) => p.metric === metric).sort((a, b) => Date.parse(a.time) - Date.parse(b.time));
  const banded = mine.some((p) => p.min !== undefined);
  return {
    metric,
    times: mine.map((p) => Date.parse(p.time) / 1000),
    values: mine.map((p) => p.value),
    ...(banded ? { min: mine.map((p) => p.min ?? null), max: mine.map((p) => p.max ?? null) } : {}),
  };
}

function summary(series: ChartSeries, t: DeskStrings): string {
  const round = (v: number) => String(Math.round(v * 100) / 100);
  return fill(t.readingsSummary, {
    n: series.values.length,
    min: round(Math.min(...series.values)),
    max: round(Math.max(...series.values)),
    last: round(series.values.at(-1) as number),
  });
}

/** A time as `<input type="datetime-local">` takes it: local, to the minute. */
function localInput(ms: number): string {
  const d = new Date(ms - new Date(ms).getTimezoneOffset() * 60_000);
  return d.toISOString().slice(0, 16);
}
