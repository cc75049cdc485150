import type { ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { fill, useStrings } from '../shared/i18n.ts';
import type { MapMountProps } from './map-mount.tsx';
import { WALL_STRINGS } from './strings.ts';

/** The wall's map, its libraries fetched on first show (a separate chunk: see map-mount.tsx). */
let loading: Promise<ComponentType<MapMountProps>> | undefined;
const RETRY_MS = 10_000;

export function WallMap(props: MapMountProps) {
  const t = useStrings(WALL_STRINGS);
  const [Mount, setMount] = useState<ComponentType<MapMountProps> | null>(null);
  const [failed, setFailed] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    let gone = false;
    let retry: ReturnType<typeof setTimeout> | undefined;
    loading ??= import('./map-mount.tsx').then((m) => m.MapMount);
    loading.then(
      (component) => {
        if (gone) return;
        setFailed(null);
        setMount(() => component);
      },
      (err: Error) => {
        // A chunk that did not arrive (the network lost while loading): an unattended screen tries again.
        loading = undefined;
        if (gone) return;
        setFailed(err.message);
        retry = setTimeout(() => setAttempt((n) => n + 1), RETRY_MS);
      },
    );
    return () => {
      gone = true;
      clearTimeout(retry);
    };
  }, [attempt]);
  if (failed)
    return (
      <p class="wall-map-note" role="alert">
        {fill(t.mapFailed, { m: failed })}
      </p>
    );
  if (!Mount) return <p class="wall-map-note">{t.mapLoading}</p>;
  return <Mount {...props} />;
}
