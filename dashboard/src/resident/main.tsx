import '../shared/base.css';
import './resident.css';
import { render } from 'preact';
import { useEffect } from 'preact/hooks';
import { useLang, useStrings } from '../shared/i18n.ts';
import { LangSwitch } from '../shared/lang-switch.tsx';
import { ReportView } from './report-view.tsx';
import { followLink, hrefOf, useView, type View } from './routes.ts';
import { StatusView } from './status-view.tsx';
import { STRINGS } from './strings.ts';
import { WhereView } from './where-view.tsx';

/**
 * The resident page (`/r`, `/r/{number}`): report a problem by an object's number, follow a
 * report by its tracking code, and "Where am I?". Made for a small phone on a slow connection:
 * no map library, no web fonts, every wait and every failure said in words.
 */
function ResidentPage() {
  const t = useStrings(STRINGS);
  const lang = useLang();
  const view = useView();
  const title = view.kind === 'status' ? t.statusTitle : view.kind === 'where' ? t.whereTitle : t.pageTitle;
  useEffect(() => {
    document.title = title;
  }, [title]);

  const tabs: { view: View; text: string }[] = [
    { view: { kind: 'report' }, text: t.navReport },
    { view: { kind: 'status' }, text: t.navStatus },
    { view: { kind: 'where' }, text: t.navWhere },
  ];
  return (
    <>
      <header class="top">
        <h1>{title}</h1>
        <LangSwitch />
      </header>
      <nav class="tabs" aria-label={t.navLabel}>
        {tabs.map((tab) => (
          <a
            key={tab.view.kind}
            href={hrefOf(tab.view)}
            aria-current={tab.view.kind === view.kind ? 'page' : undefined}
            onClick={(e) => followLink(e, tab.view)}
          >
            {tab.text}
          </a>
        ))}
      </nav>
      <main>
        {view.kind === 'report' && (
          // A new number in the address is a new report: the key starts the steps afresh.
          <ReportView key={view.number ?? ''} t={t} lang={lang} number={view.number} />
        )}
        {view.kind === 'status' && <StatusView t={t} lang={lang} code={view.code} />}
        {view.kind === 'where' && <WhereView t={t} />}
      </main>
    </>
  );
}

render(<ResidentPage />, document.getElementById('app') as HTMLElement);
