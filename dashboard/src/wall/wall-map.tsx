import type { ComponentType } from 'preact';
import { fill, useStrings } from '../shared/i18n.ts';
import { useRetried } from '../shared/use-retried.ts';
import type { MapMountProps } from './map-mount.tsx';
import { WALL_STRINGS } from './strings.ts';

/** The wall's map, its libraries fetched on first show (a separate chunk: see map-mount.tsx). */
let loading: Promise<ComponentType<MapMountProps>> | undefined;
const RETRY_MS = 10_000;

function loadMapMount(): Promise<ComponentType<MapMountProps>> {
  loading ??= import('./map-mount.tsx').then(
    (m) => m.MapMount,
    (err: unknown) => {
      // A chunk that did not arrive (the network lost while loading): the next try fetches it anew.
      loading = undefined;
      throw err;
    },
  );
  return loading;
}

export function WallMap(props: MapMountProps) {
  const t = useStrings(WALL_STRINGS);
  const { value: Mount, failed } = useRetried(loadMapMount, RETRY_MS);
  if (failed)
    return (
      <p class="wall-map-note" role="alert">
        {fill(t.mapFailed, { m: failed.message })}
      </p>
    );
  if (!Mount) return <p class="wall-map-note">{t.mapLoading}</p>;
  return <Mount {...props} />;
}
