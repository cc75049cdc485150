import type { CommandAction, CommandList, CommandStatus, CommandsAccepted } from '@city/twin/contract';
import { useEffect, useState } from 'preact/hooks';
import { withQuery } from '../shared/api.ts';
import { fill } from '../shared/i18n.ts';
import { fromCommand, type TrackedCommand } from './command-states.ts';
import { errorText, useDesk } from './desk-api.ts';
import type { DeskKey, DeskStrings } from './strings.ts';

const STATUS: Record<CommandStatus, { key: DeskKey; symbol: string }> = {
  pending: { key: 'lightsPending', symbol: '⏳' },
  confirmed: { key: 'lightsConfirmed', symbol: '✓' },
  failed: { key: 'lightsFailed', symbol: '✕' },
  timed_out: { key: 'lightsTimedOut', symbol: '⌛' },
};
/** Commands the panel lists: the newest; older ones are in GET /commands. */
const SHOWN = 30;

export interface StreetlightCommandsProps {
  t: DeskStrings;
  commands: ReadonlyMap<number, TrackedCommand>;
  /** Takes commands the API answered with (the stream's changes are merged by the desk). */
  onCommands(commands: TrackedCommand[]): void;
}

/**
 * Streetlight commands (on, off, dim %) to one pole or a cabinet's whole row. The server sends
 * the downlink and the device's next uplink confirms it: each command shows as pending until the
 * stream says it was confirmed, failed or timed out. The server decides who may (admins,
 * operators, the lighting utility's dispatchers); a refusal is shown as it answers.
 */
export function StreetlightCommands({ t, commands, onCommands }: StreetlightCommandsProps) {
  const { call } = useDesk();
  const [target, setTarget] = useState<'one' | 'row'>('one');
  const [number, setNumber] = useState('');
  const [action, setAction] = useState<CommandAction>('on');
  const [level, setLevel] = useState(50);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [skipped, setSkipped] = useState<CommandsAccepted['skipped']>([]);

  useEffect(() => {
    // The commands still pending (sent before this page was opened, or from another desk).
    call<CommandList>(withQuery('/api/v1/commands', { status: 'pending', limit: SHOWN })).then(
      (list) => onCommands(list.commands.map(fromCommand)),
      (err) => setError(fill(t.lightsUnavailable, { message: errorText(err) })),
    );
  }, [call]);

  const send = async () => {
    const wanted = number.trim();
    if (!wanted) return;
    const body = { action, ...(action === 'dim' ? { level } : {}) };
    setBusy(true);
    setError(null);
    setSkipped([]);
    try {
      const answer =
        target === 'one'
          ? await call<CommandsAccepted>(`/api/v1/objects/${encodeURIComponent(wanted)}/command`, { body })
          : await call<CommandsAccepted>('/api/v1/commands', { body: { ...body, cabinet: wanted } });
      onCommands(answer.commands.map(fromCommand));
      setSkipped(answer.skipped);
    } catch (err) {
      setError(fill(t.failed, { message: errorText(err) }));
    } finally {
      setBusy(false);
    }
  };

  const shown = [...commands.values()].sort((a, b) => b.id - a.id).slice(0, SHOWN);
  return (
    <section class="lights" aria-labelledby="lights-title" data-testid="streetlights">
      <h2 id="lights-title">{t.lightsTitle}</h2>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void send();
        }}
      >
        <fieldset class="segmented">
          <legend>{t.lightsTarget}</legend>
          <label>
            <input type="radio" name="light-target" checked={target === 'one'} onChange={() => setTarget('one')} />
            {t.lightsOne}
          </label>
          <label>
            <input type="radio" name="light-target" checked={target === 'row'} onChange={() => setTarget('row')} />
            {t.lightsRow}
          </label>
        </fieldset>
        <label>
          {t.lightsNumber}
          <input
            value={number}
            required
            maxLength={64}
            autoComplete="off"
            spellcheck={false}
            onInput={(e) => setNumber(e.currentTarget.value)}
          />
        </label>
        <fieldset class="segmented">
          <legend>{t.lightsAction}</legend>
          {(['on', 'off', 'dim'] as const).map((a) => (
            <label key={a}>
              <input type="radio" name="light-action" checked={action === a} onChange={() => setAction(a)} />
              {a === 'on' ? t.lightsOn : a === 'off' ? t.lightsOff : t.lightsDim}
            </label>
          ))}
          {action === 'dim' && (
            <label>
              <span class="visually-hidden">{t.lightsDim} %</span>
              <input
                type="number"
                min={0}
                max={100}
                step={5}
                value={level}
                onInput={(e) => setLevel(Math.max(0, Math.min(100, Math.round(Number(e.currentTarget.value) || 0))))}
              />
            </label>
          )}
        </fieldset>
        <button type="submit" disabled={busy}>
          {t.lightsSend}
        </button>
      </form>
      {error && (
        <p class="error" role="alert" data-testid="lights-error">
          {error}
        </p>
      )}
      {skipped.length > 0 && <p class="warning">⚠ {skipped.map((s) => `${s.objectNumber}: ${s.reason}`).join('; ')}</p>}
      {shown.length > 0 && (
        <>
          <h3>{t.lightsCommands}</h3>
          <ul class="command-list" aria-live="polite" data-testid="command-list">
            {shown.map((c) => (
              <li key={c.id} data-status={c.status}>
                {c.objectNumber}: {c.action === 'on' ? t.lightsOn : c.action === 'off' ? t.lightsOff : t.lightsDim}
                {c.level !== null && ` ${c.level} %`} — <span aria-hidden="true">{STATUS[c.status].symbol}</span>{' '}
                {t[STATUS[c.status].key]}
                {c.detail && ` (${c.detail})`}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
