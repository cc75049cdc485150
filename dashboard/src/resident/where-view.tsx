import type { LocateResult, ObjectPublicView } from '@city/twin/contract';
import { LOCATE_MAX_NUMBERS, MAX_LOCATE_NUMBER } from '@city/twin/contract/input-limits';
import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../shared/api.ts';
import { fill } from '../shared/i18n.ts';
import { type BaseMap, loadBaseMap } from './base-map.ts';
import { copyText } from './copy-text.ts';
import { errorText } from './error-text.ts';
import { formatCoordinates, type LonLat } from './geo.ts';
import { nearestAddress, nearestStreet } from './nearest.ts';
import { fetchObject } from './object-lookup.ts';
import { useSlow } from './pending.ts';
import { SmallMap } from './small-map.tsx';
import type { ResidentStrings } from './strings.ts';

/** Objects "Where am I?" asks for: a resident sees a few around them. */
const WHERE_NUMBERS = Math.min(3, LOCATE_MAX_NUMBERS);

/**
 * "Where am I?": the numbers of the objects around the resident -> `POST /locate` -> the
 * position as coordinates to read out to 112, the nearest address and street, and a small map.
 */
export function WhereView({ t }: { t: ResidentStrings }) {
  const [numbers, setNumbers] = useState<string[]>(() => Array.from({ length: WHERE_NUMBERS }, () => ''));
  const [locating, setLocating] = useState(false);
  const [failure, setFailure] = useState<{ err: unknown } | 'empty' | null>(null);
  const [result, setResult] = useState<LocateResult | null>(null);
  const [objects, setObjects] = useState<ObjectPublicView[]>([]);
  const [base, setBase] = useState<BaseMap | null | undefined>(undefined);
  const [copied, setCopied] = useState<boolean | null>(null);
  const first = useRef<HTMLInputElement>(null);
  const slow = useSlow(locating);
  const round = useRef(0);

  useEffect(() => first.current?.focus(), []);

  const locate = async () => {
    const named = numbers.map((n) => n.trim()).filter(Boolean);
    setFailure(null);
    setCopied(null);
    if (named.length === 0) {
      setFailure('empty');
      first.current?.focus();
      return;
    }
    const mine = ++round.current;
    setLocating(true);
    try {
      const found = await api<LocateResult>('/api/v1/locate', { method: 'POST', body: { numbers: named } });
      if (mine !== round.current) return;
      setResult(found);
      setObjects([]);
      // The map's pieces come after the answer: the coordinates are what matters, and they are shown already.
      void loadBaseMap().then((map) => mine === round.current && setBase(map));
      const views = await Promise.allSettled(found.used.map((n) => fetchObject(n)));
      if (mine === round.current) {
        setObjects(views.flatMap((v) => (v.status === 'fulfilled' ? [v.value] : [])));
      }
    } catch (err) {
      if (mine !== round.current) return;
      setResult(null);
      setFailure({ err });
    } finally {
      if (mine === round.current) setLocating(false);
    }
  };

  const problem = failure === 'empty' ? t.whereNeedOne : failure ? errorText(failure.err, t, t.whereNone) : null;
  return (
    <>
      <form
        class="card"
        aria-busy={locating}
        onSubmit={(event) => {
          event.preventDefault();
          void locate();
        }}
      >
        <p>{t.whereIntro}</p>
        {numbers.map((value, i) => (
          <div key={i} class="field">
            <label for={`where-${i}`}>{fill(t.whereNumber, { n: i + 1 })}</label>
            <input
              id={`where-${i}`}
              ref={i === 0 ? first : undefined}
              name={`number-${i + 1}`}
              value={value}
              maxLength={MAX_LOCATE_NUMBER}
              autoComplete="off"
              autoCapitalize="characters"
              spellcheck={false}
              onInput={(e) => {
                const next = [...numbers];
                next[i] = e.currentTarget.value;
                setNumbers(next);
              }}
            />
          </div>
        ))}
        <button type="submit" class="primary" disabled={locating}>
          {locating ? t.whereLocating : t.whereLocate}
        </button>
        <div aria-live="polite">
          {locating && slow && <p class="progress">{t.slow}</p>}
          {problem && (
            <p class="error" role="alert" data-testid="where-error">
              {problem}
            </p>
          )}
        </div>
      </form>
      {result && (
        <WhereResult
          t={t}
          result={result}
          objects={objects}
          base={base}
          copied={copied}
          onCopy={async () => setCopied(await copyText(formatCoordinates(result.lat, result.lon)))}
        />
      )}
    </>
  );
}

interface WhereResultProps {
  t: ResidentStrings;
  result: LocateResult;
  objects: ObjectPublicView[];
  base: BaseMap | null | undefined;
  copied: boolean | null;
  onCopy: () => void;
}

function WhereResult({ t, result, objects, base, copied, onCopy }: WhereResultProps) {
  const here: LonLat = [result.lon, result.lat];
  const address = nearestAddress(here, objects);
  const street = base ? nearestStreet(here, base) : undefined;
  const ignored = result.ignored.map((i) => `${i.number} (${ignoredReason(t, i.reason)})`).join(', ');
  return (
    <section class="card where-result" aria-labelledby="where-coords-title" data-testid="where-result">
      <h2 id="where-coords-title">{t.whereCoords}</h2>
      <p class="coordinates" data-testid="coordinates">
        {formatCoordinates(result.lat, result.lon)}
      </p>
      <p class="hint">{t.whereCoordsHint}</p>
      <p>{fill(t.whereAccuracy, { m: Math.round(result.accuracyM) })}</p>
      <div class="row">
        <button type="button" onClick={onCopy}>
          {t.whereCopy}
        </button>
        <span aria-live="polite">
          {copied === true && t.copied}
          {copied === false && <span class="error">{t.copyFailed}</span>}
        </span>
      </div>
      <dl>
        {address && (
          <>
            <dt>{t.whereNearest}</dt>
            <dd data-testid="nearest-address">{address}</dd>
          </>
        )}
        {street && (
          <>
            <dt>{t.whereStreet}</dt>
            <dd>{`${street.name} (~${fill(t.metres, { m: Math.round(street.distanceM) })})`}</dd>
          </>
        )}
      </dl>
      {ignored && <p class="hint">{fill(t.whereIgnored, { list: ignored })}</p>}
      <SmallMap
        t={t}
        lat={result.lat}
        lon={result.lon}
        accuracyM={result.accuracyM}
        objects={objects.map((o) => ({ number: o.number, lat: o.lat, lon: o.lon }))}
        base={base}
      />
    </section>
  );
}

function ignoredReason(t: ResidentStrings, reason: LocateResult['ignored'][number]['reason']): string {
  switch (reason) {
    case 'unknown':
      return t.ignoredUnknown;
    case 'outlier':
      return t.ignoredOutlier;
    case 'duplicate':
      return t.ignoredDuplicate;
  }
}
