import type { LocateIgnoredReason, LocateResult } from '@city/twin/contract';
import { useState } from 'preact/hooks';
import { ApiError } from '../shared/api.ts';
import { fill } from '../shared/i18n.ts';
import { errorText, useDesk } from './desk-api.ts';
import type { DeskKey, DeskStrings } from './strings.ts';

/** Numbers a caller reads out; the API takes up to 10, a call rarely gives more than a few. */
const FIELDS = 6;
/** The API's limit on one number as typed (LocateRequest). */
const NUMBER_MAX = 32;

const REASON_KEYS: Record<LocateIgnoredReason, DeskKey> = {
  unknown: 'ignoredUnknown',
  outlier: 'ignoredOutlier',
  duplicate: 'ignoredDuplicate',
};

export interface CallerPositionProps {
  t: DeskStrings;
  /** The estimate for the map (its accuracy circle), or null to take it away. */
  onPosition(result: LocateResult | null): void;
}

/**
 * "Caller's position": the numbers painted on the objects a caller can see, typed as they are
 * read out, to POST /api/v1/locate. The answer goes on the map with its accuracy circle, and the
 * panel says which numbers it rests on and which it left out, and why.
 */
export function CallerPosition({ t, onPosition }: CallerPositionProps) {
  const { call } = useDesk();
  const [numbers, setNumbers] = useState<string[]>(() => Array.from({ length: FIELDS }, () => ''));
  const [result, setResult] = useState<LocateResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const locate = async () => {
    const asked = numbers.map((n) => n.trim()).filter((n) => n.length > 0);
    setError(null);
    if (asked.length === 0) {
      setError(t.callerNoNumbers);
      return;
    }
    setBusy(true);
    try {
      const found = await call<LocateResult>('/api/v1/locate', { body: { numbers: asked } });
      setResult(found);
      onPosition(found);
    } catch (err) {
      setResult(null);
      onPosition(null);
      setError(
        err instanceof ApiError && err.status === 404
          ? fill(t.callerUnknown, { numbers: asked.join(', ') })
          : fill(t.failed, { message: errorText(err) }),
      );
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="caller" aria-labelledby="caller-title" data-testid="caller-position">
      <h2 id="caller-title">{t.callerTitle}</h2>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void locate();
        }}
      >
        <fieldset class="caller-numbers">
          <legend>{t.callerHelp}</legend>
          {numbers.map((value, i) => (
            <label key={i}>
              <span class="visually-hidden">{fill(t.callerNumber, { n: i + 1 })}</span>
              <input
                id={i === 0 ? 'caller-number-1' : undefined}
                data-testid="caller-number"
                value={value}
                maxLength={NUMBER_MAX}
                autoComplete="off"
                spellcheck={false}
                placeholder={String(i + 1)}
                onInput={(e) => {
                  const next = [...numbers];
                  next[i] = e.currentTarget.value;
                  setNumbers(next);
                }}
              />
            </label>
          ))}
        </fieldset>
        <button type="submit" disabled={busy} data-testid="locate">
          {busy ? t.locating : t.locate}
        </button>
        <button
          type="button"
          onClick={() => {
            setNumbers(numbers.map(() => ''));
            setResult(null);
            setError(null);
            onPosition(null);
          }}
        >
          {t.clearPosition}
        </button>
      </form>
      <div aria-live="polite" data-testid="caller-result">
        {result && (
          <>
            <p>
              {fill(t.callerResult, {
                lat: result.lat.toFixed(5),
                lon: result.lon.toFixed(5),
                m: Math.round(result.accuracyM),
              })}
            </p>
            <p>{fill(t.callerUsed, { numbers: result.used.join(', ') })}</p>
            {result.ignored.length > 0 && (
              <p class="warning" data-testid="caller-ignored">
                ⚠{' '}
                {fill(t.callerIgnored, {
                  list: result.ignored.map((i) => `${i.number} (${t[REASON_KEYS[i.reason]]})`).join(', '),
                })}
              </p>
            )}
          </>
        )}
      </div>
      {error && (
        <p class="error" role="alert" data-testid="caller-error">
          {error}
        </p>
      )}
    </section>
  );
}
