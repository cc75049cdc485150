import { createAdapter } from '@socket.io/redis-adapter';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';

/**
 * The socket.io Redis adapter: an emit to rooms on one server process reaches the sockets in those
 * rooms on every process (Redis pub/sub on `{channel}#...`). Resolves once both connections are up;
 * a Redis that cannot be reached stops the start.
 */
export async function redisAdapter(
  redis: { url: string; channel: string },
  log: Logger,
): Promise<{ adapter: ReturnType<typeof createAdapter>; close: () => Promise<void> }> {
  const pub = new Redis(redis.url, { lazyConnect: true });
  const sub = pub.duplicate();
  for (const client of [pub, sub])
    client.on('error', (err: Error) => log.warn({ err: err.message }, 'stream: Redis connection failed; retrying'));
  const close = async () => {
    await Promise.allSettled([pub.quit(), sub.quit()]);
    pub.disconnect();
    sub.disconnect();
  };
  try {
    await Promise.all([pub.connect(), sub.connect()]);
  } catch (err) {
    await close();
    throw new Error(`the live stream could not reach Redis (REDIS_URL): ${(err as Error).message}`);
  }
  return { adapter: createAdapter(pub, sub, { key: redis.channel }), close };
}
