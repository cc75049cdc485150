import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../shared/api.ts';
import { fill } from '../shared/i18n.ts';
import { LangSwitch } from '../shared/lang-switch.tsx';
import { errorText } from './desk-api.ts';
import { type Session, signIn } from './session.ts';
import type { DeskStrings } from './strings.ts';

export interface LoginFormProps {
  t: DeskStrings;
  /** Why the desk is back here (the session expired), shown above the form. */
  notice: string | null;
  onSignedIn(session: Session): void;
}

export function LoginForm({ t, notice, onSignedIn }: LoginFormProps) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const first = useRef<HTMLInputElement>(null);
  useEffect(() => first.current?.focus(), []);

  return (
    <main class="login">
      <header class="login-head">
        <h1>{t.signInTitle}</h1>
        <LangSwitch />
      </header>
      {notice && (
        <p class="notice" role="status" data-testid="login-notice">
          {notice}
        </p>
      )}
      <form
        data-testid="login-form"
        onSubmit={async (e) => {
          e.preventDefault();
          setBusy(true);
          setError(null);
          try {
            onSignedIn(await signIn(username.trim(), password));
          } catch (err) {
            setError(
              err instanceof ApiError && err.status === 401 ? t.badLogin : fill(t.failed, { message: errorText(err) }),
            );
          } finally {
            setBusy(false);
          }
        }}
      >
        <label>
          {t.username}
          <input
            ref={first}
            name="username"
            autoComplete="username"
            required
            maxLength={64}
            value={username}
            onInput={(e) => setUsername(e.currentTarget.value)}
          />
        </label>
        <label>
          {t.password}
          <input
            name="password"
            type="password"
            autoComplete="current-password"
            required
            maxLength={200}
            value={password}
            onInput={(e) => setPassword(e.currentTarget.value)}
          />
        </label>
        <button type="submit" disabled={busy}>
          {busy ? t.signingIn : t.signIn}
        </button>
        {error && (
          <p class="error" role="alert" data-testid="login-error">
            {error}
          </p>
        )}
      </form>
    </main>
  );
}
