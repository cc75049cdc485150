import type { UiConfig } from '@city/twin/contract';
import { render } from 'preact';
import { useCallback, useEffect, useState } from 'preact/hooks';
import '../shared/base.css';
import { api } from '../shared/api.ts';
import { fill, useStrings } from '../shared/i18n.ts';
import { LangSwitch } from '../shared/lang-switch.tsx';
import { forgetKioskKey, resolveWallToken, type WallToken } from './kiosk-token.ts';
import { WALL_STRINGS } from './strings.ts';
import { WallApp } from './wall-app.tsx';
import './wall.css';

/**
 * The wall's start: the screen's settings (ui-config), then the token - a kiosk key given once in
 * the address, kept in this browser, or the embedded demo's kiosk token - and no login prompt. A
 * screen without any says how to get a key; one whose key the server refuses says so.
 */
const RETRY_MS = 5_000;

function storage(): Storage | null {
  try {
    return localStorage;
  } catch {
    return null;
  }
}

function Wall() {
  const t = useStrings(WALL_STRINGS);
  const [config, setConfig] = useState<UiConfig | null>(null);
  const [wallToken, setWallToken] = useState<WallToken | null>(null);
  const [startError, setStartError] = useState<string | null>(null);
  const [refused, setRefused] = useState(false);

  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const start = () =>
      api<UiConfig>('/api/v1/ui-config').then(
        (c) => {
          const resolved = resolveWallToken(location.href, storage(), c?.demoKioskToken ?? null);
          if (resolved.cleanUrl !== null) history.replaceState(history.state, '', resolved.cleanUrl);
          setStartError(null);
          setConfig(c);
          setWallToken(resolved);
        },
        (err: Error) => {
          // The wall is switched on before the server is up, or the network is away: keep trying.
          setStartError(err.message);
          timer = setTimeout(start, RETRY_MS);
        },
      );
    start();
    return () => clearTimeout(timer);
  }, []);

  const onKeyRefused = useCallback(() => {
    forgetKioskKey(storage());
    setRefused(true);
  }, []);

  if (refused || (wallToken && wallToken.token === null)) {
    const example = `${location.origin}/?kiosk=…`;
    return (
      <main class="need-key" data-testid="need-key">
        <LangSwitch />
        <h1>{t.needKeyTitle}</h1>
        {refused && <p role="alert">{t.keyRefused}</p>}
        <p>{t.needKeyBody}</p>
        <p>
          <code>{example}</code>
        </p>
        <p>{t.needKeyAfter}</p>
      </main>
    );
  }
  if (!config || !wallToken?.token) {
    return (
      <main class="starting">
        <h1>{t.title}</h1>
        {startError && <p role="status">{fill(t.startFailed, { m: startError })}</p>}
      </main>
    );
  }
  return <WallApp config={config} token={wallToken.token} onKeyRefused={onKeyRefused} />;
}

render(<Wall />, document.getElementById('app') as HTMLElement);
