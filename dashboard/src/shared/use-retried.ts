import { useEffect, useState } from 'preact/hooks';

export interface Retried<T> {
  value: T | null;
  /** The last failure while a retry is pending; null once `start` succeeded. */
  failed: Error | null;
}

/**
 * Runs `start` once, and after a failure again every `retryMs` until it succeeds: an unattended
 * screen recovers by itself from a server or a network that was away. `dispose` releases a value
 * that arrived after the component left, or when it leaves.
 */
export function useRetried<T>(start: () => Promise<T>, retryMs: number, dispose?: (value: T) => void): Retried<T> {
  const [value, setValue] = useState<T | null>(null);
  const [failed, setFailed] = useState<Error | null>(null);
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    let made: T | undefined;
    let gone = false;
    let retry: ReturnType<typeof setTimeout> | undefined;
    start().then(
      (started) => {
        if (gone) return dispose?.(started);
        made = started;
        setFailed(null);
        // A function (a component) would be taken for an updater: wrap it.
        setValue(() => started);
      },
      (err: unknown) => {
        if (gone) return;
        setFailed(err instanceof Error ? err : new Error(String(err)));
        retry = setTimeout(() => setAttempt((n) => n + 1), retryMs);
      },
    );
    return () => {
      gone = true;
      clearTimeout(retry);
      if (made !== undefined) dispose?.(made);
    };
    // Started once, and again only after a failure; `start` is read when that happens.
  }, [attempt]);
  return { value, failed };
}
