import { once } from 'node:events';
import { createServer, type Server } from 'node:net';
import { Aedes } from 'aedes';
import type { Logger } from 'pino';

export interface EmbeddedBroker {
  port: number;
  url: string;
  close(): Promise<void>;
}

/**
 * The in-process MQTT broker of embedded mode (aedes, MQTT 3.1.1). If the wanted port is
 * taken - this machine runs Mosquitto on 1883 - it says so and takes a free port instead.
 */
export async function startEmbeddedBroker(wantedPort: number, log?: Logger): Promise<EmbeddedBroker> {
  const broker = await Aedes.createBroker();
  const server = createServer(broker.handle);
  const port = await listen(server, wantedPort).catch(async (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EADDRINUSE' || wantedPort === 0) throw err;
    const free = await listen(server, 0);
    log?.warn(`MQTT port ${wantedPort} is taken (another broker is running there); embedded broker uses port ${free}`);
    return free;
  });
  return {
    port,
    url: `mqtt://127.0.0.1:${port}`,
    close: async () => {
      await new Promise<void>((resolve) => broker.close(() => resolve()));
      server.close();
    },
  };
}

async function listen(server: Server, port: number): Promise<number> {
  server.listen(port, '0.0.0.0');
  await Promise.race([
    once(server, 'listening'),
    once(server, 'error').then(([err]) => {
      throw err;
    }),
  ]);
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('broker has no TCP address');
  return address.port;
}
