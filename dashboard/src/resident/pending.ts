import { useEffect, useState } from 'preact/hooks';

/** After this long a request is "slow", and the page says so instead of looking stuck. */
const SLOW_AFTER_MS = 3000;

/** True once `pending` has lasted SLOW_AFTER_MS. */
export function useSlow(pending: boolean): boolean {
  const [slow, setSlow] = useState(false);
  useEffect(() => {
    setSlow(false);
    if (!pending) return;
    const timer = setTimeout(() => setSlow(true), SLOW_AFTER_MS);
    return () => clearTimeout(timer);
  }, [pending]);
  return slow;
}
