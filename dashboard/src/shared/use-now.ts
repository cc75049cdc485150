import { useEffect, useState } from 'preact/hooks';

/** The clock, ticking every `ms`: ages and SLA timers count on without new data. */
export function useNow(ms: number): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(timer);
  }, [ms]);
  return now;
}
