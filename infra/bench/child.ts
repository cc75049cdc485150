import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';

/** A child process's next message; an error, not a hang, when it exits first. */
export async function reply<T>(child: ChildProcess, what = 'the benchmark child'): Promise<T> {
  const stop = new AbortController();
  try {
    const [message] = await Promise.race([
      once(child, 'message', { signal: stop.signal }),
      once(child, 'exit', { signal: stop.signal }).then(([code]) => {
        throw new Error(`${what} exited (${code}) before it answered`);
      }),
    ]);
    return message as T;
  } finally {
    stop.abort();
  }
}

/** Polls until `check` holds; fails the benchmark after `timeoutMs`. */
export async function until(check: () => boolean | Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('benchmark timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}
