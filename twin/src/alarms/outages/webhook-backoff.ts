/** When a failed webhook call is tried again: exponential from `baseMs`, capped, with jitter. */
export interface Backoff {
  baseMs: number;
  capMs: number;
  /** Attempts in all, the first included; after the last failure the delivery is given up. */
  maxAttempts: number;
}

/** 10 s, 20 s, 40 s... up to an hour: twelve attempts span about five hours. */
export const DEFAULT_BACKOFF: Backoff = { baseMs: 10_000, capMs: 3_600_000, maxAttempts: 12 };

/**
 * The wait after failed attempt number `attempt` (1 = the first), or null to give up. The wait
 * is drawn between half and all of the exponential step, so deliveries that failed together
 * (the receiver was down) do not all come back at the same instant.
 */
export function retryDelayMs(attempt: number, backoff: Backoff, random: () => number = Math.random): number | null {
  if (attempt >= backoff.maxAttempts) return null;
  const step = Math.min(backoff.capMs, backoff.baseMs * 2 ** (attempt - 1));
  return Math.round(step * (0.5 + random() / 2));
}
