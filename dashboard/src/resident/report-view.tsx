import type { ObjectPublicView, ReportCreated } from '@city/twin/contract';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Lang } from '../shared/i18n.ts';
import { copyText } from './copy-text.ts';
import { ObjectStep } from './object-step.tsx';
import { ReportForm } from './report-form.tsx';
import { followLink, hrefOf, type View } from './routes.ts';
import type { ResidentStrings } from './strings.ts';

/** Reporting: which object, what is wrong, then the tracking code. */
export function ReportView({ t, lang, number }: { t: ResidentStrings; lang: Lang; number?: string | undefined }) {
  const [object, setObject] = useState<ObjectPublicView | null>(null);
  const [created, setCreated] = useState<ReportCreated | null>(null);

  if (created) {
    return (
      <Sent
        t={t}
        code={created.trackingCode}
        onAnother={() => {
          setCreated(null);
          setObject(null);
        }}
      />
    );
  }
  return (
    <>
      <ObjectStep t={t} lang={lang} initialNumber={number} object={object} onObject={setObject} />
      {object && <ReportForm t={t} lang={lang} object={object} onCreated={setCreated} />}
    </>
  );
}

/** The tracking code, big and copyable, and the way to its status page. */
function Sent({ t, code, onAnother }: { t: ResidentStrings; code: string; onAnother: () => void }) {
  const [copied, setCopied] = useState<boolean | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  // Once, when the code appears: a screen reader hears that the report went through.
  useEffect(() => heading.current?.focus(), []);
  const status: View = { kind: 'status', code };
  return (
    <section class="card sent" aria-labelledby="sent-title">
      <h2 id="sent-title" tabIndex={-1} ref={heading}>
        {t.sentTitle}
      </h2>
      <p>{t.trackingCode}</p>
      <p class="tracking-code" data-testid="tracking-code">
        {code}
      </p>
      <p class="hint">{t.trackingKeep}</p>
      <div class="row">
        <button type="button" onClick={async () => setCopied(await copyText(code))}>
          {t.copy}
        </button>
        <a class="button primary" href={hrefOf(status)} onClick={(e) => followLink(e, status)}>
          {t.openStatus}
        </a>
      </div>
      <p aria-live="polite">
        {copied === true && t.copied}
        {copied === false && <span class="error">{t.copyFailed}</span>}
      </p>
      <button type="button" class="link" onClick={onAnother}>
        {t.newReport}
      </button>
    </section>
  );
}
