import type { ObjectPublicView } from '@city/twin/contract';
import { MAX_OBJECT_NUMBER } from '@city/twin/contract/input-limits';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { type Lang, label } from '../shared/i18n.ts';
import { CodeInput } from './code-input.tsx';
import { errorText } from './error-text.ts';
import { fetchObject } from './object-lookup.ts';
import { useSlow } from './pending.ts';
import { QrScanner } from './qr-scanner.tsx';
import type { ResidentStrings } from './strings.ts';

interface ObjectStepProps {
  t: ResidentStrings;
  lang: Lang;
  /** The number the address named (`/r/{number}`): looked up at once. */
  initialNumber?: string | undefined;
  object: ObjectPublicView | null;
  onObject: (object: ObjectPublicView | null) => void;
}

/** Step 1: which object. The number typed or scanned, then the object's type and address to confirm. */
export function ObjectStep({ t, lang, initialNumber, object, onObject }: ObjectStepProps) {
  const [number, setNumber] = useState(initialNumber ?? '');
  const [looking, setLooking] = useState(false);
  // The failure itself, not its text: the text follows a language switch.
  const [failure, setFailure] = useState<{ err: unknown } | 'empty' | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const asked = useRef<AbortController | null>(null);
  const slow = useSlow(looking);

  const lookUp = useCallback(
    async (raw: string) => {
      asked.current?.abort();
      setFailure(null);
      if (!raw.trim()) {
        setFailure('empty');
        input.current?.focus();
        return;
      }
      const controller = new AbortController();
      asked.current = controller;
      setLooking(true);
      try {
        onObject(await fetchObject(raw, controller.signal));
      } catch (err) {
        if ((err as Error).name === 'AbortError') return;
        setFailure({ err });
        input.current?.focus();
      } finally {
        if (asked.current === controller) setLooking(false);
      }
    },
    [onObject],
  );

  useEffect(() => {
    if (initialNumber) void lookUp(initialNumber);
    return () => asked.current?.abort();
  }, [initialNumber, lookUp]);

  const onScanned = useCallback(
    (scanned: string) => {
      setNumber(scanned);
      void lookUp(scanned);
    },
    [lookUp],
  );

  if (object) {
    const district = object.district ? (lang === 'en' && object.district.nameEn) || object.district.name : null;
    return (
      <section class="card object-card" aria-labelledby="object-found" data-testid="object-card">
        <h2 id="object-found">{t.objectFound}</h2>
        <p class="object-number">{object.number}</p>
        <dl>
          <dt>{t.objectType}</dt>
          <dd data-testid="object-type">{label(object.typeLabel, lang, object.type)}</dd>
          <dt>{t.objectAddress}</dt>
          <dd data-testid="object-address">{object.address ?? t.objectNoAddress}</dd>
          {district && (
            <>
              <dt>{t.objectDistrict}</dt>
              <dd>{district}</dd>
            </>
          )}
        </dl>
        <button
          type="button"
          class="secondary"
          onClick={() => {
            onObject(null);
            // The input is drawn again on the next render; focus it then.
            setTimeout(() => input.current?.focus());
          }}
        >
          {t.otherObject}
        </button>
      </section>
    );
  }

  const problem = failure === 'empty' ? t.numberEmpty : failure ? errorText(failure.err, t, t.notFound) : null;
  return (
    <section class="card">
      <p>{t.intro}</p>
      <form
        class="number-form"
        onSubmit={(event) => {
          event.preventDefault();
          void lookUp(number);
        }}
        aria-busy={looking}
      >
        <label id="number-label" for="object-number">
          {t.numberLabel}
        </label>
        <CodeInput
          id="object-number"
          inputRef={input}
          name="number"
          value={number}
          maxLength={MAX_OBJECT_NUMBER}
          describedBy="number-hint number-problem"
          invalid={problem !== null}
          onInput={setNumber}
          submit={t.find}
          busy={looking}
        />
        <p id="number-hint" class="hint">
          {t.numberHint}
        </p>
        <div id="number-problem" aria-live="polite">
          {looking && <p class="progress">{slow ? t.slow : t.finding}</p>}
          {problem && (
            <p class="error" role="alert" data-testid="number-error">
              {problem}
            </p>
          )}
        </div>
      </form>
      <QrScanner t={t} onNumber={onScanned} />
    </section>
  );
}
