import { LANGUAGES, setLang, useLang } from './i18n.ts';

/** УКР | ENG: the language of the page, remembered for the next visit. */
export function LangSwitch() {
  const lang = useLang();
  return (
    <fieldset class="lang-switch">
      <legend class="visually-hidden">Мова / Language</legend>
      {LANGUAGES.map((l) => (
        <button key={l} type="button" data-lang={l} aria-pressed={l === lang} onClick={() => setLang(l)} lang={l}>
          {l === 'uk' ? 'УКР' : 'ENG'}
        </button>
      ))}
    </fieldset>
  );
}
