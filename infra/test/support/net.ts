import { createServer, Socket } from 'node:net';

/** A TCP port nobody listens on right now (the OS picks it; a race with other processes is unlikely). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === 'object') resolve(address.port);
        else reject(new Error('no port assigned'));
      });
    });
  });
}

/** True when something accepts TCP connections on 127.0.0.1:port. */
export function isListening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    const done = (up: boolean) => {
      socket.destroy();
      resolve(up);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
    socket.connect(port, '127.0.0.1');
  });
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Runs `cleanup` synchronously when the test process exits, so a private server outlives
 * neither a failed `afterAll` nor a crashed fork. Returns the function that unregisters it.
 */
export function onProcessExit(cleanup: () => void): () => void {
  const handler = () => {
    try {
      cleanup();
    } catch {
      // best effort: the process is going away
    }
  };
  process.once('exit', handler);
  return () => process.off('exit', handler);
}

/**
 * Awaits `work` for at most `ms`, swallowing its failure: for `afterAll`, where one stuck or
 * failing cleanup step must not keep the next ones from running.
 */
export async function bounded(work: Promise<unknown> | (() => Promise<unknown>), ms = 20_000): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      typeof work === 'function' ? work() : work,
      new Promise((resolve) => {
        timer = setTimeout(resolve, ms);
      }),
    ]);
  } catch {
    // cleanup is best effort; the test's own assertions report what went wrong
  } finally {
    clearTimeout(timer);
  }
}
