import { connect, createServer, type Socket } from 'node:net';

/**
 * A TCP relay in front of a local port whose link the test can cut and give back: what a page's
 * network loss looks like to the page and the server alike (connections reset, new ones refused),
 * which Chromium's offline emulation does not do to a WebSocket already open (Playwright issue
 * 4910: it only fails new requests).
 */
export interface CuttableLink {
  /** The relay's port on 127.0.0.1. */
  readonly port: number;
  /** Resets every connection through the relay and refuses new ones until `restore`. */
  cut(): void;
  restore(): void;
  close(): Promise<void>;
}

export async function cuttableLink(targetPort: number): Promise<CuttableLink> {
  let up = true;
  const open = new Set<Socket>();
  const server = createServer((inbound) => {
    if (!up) return inbound.resetAndDestroy();
    const outbound = connect(targetPort, '127.0.0.1');
    for (const socket of [inbound, outbound]) {
      open.add(socket);
      socket.on('close', () => open.delete(socket));
      // A reset from either side ends both; the relay itself never fails a test.
      socket.on('error', () => {
        inbound.destroy();
        outbound.destroy();
      });
    }
    inbound.pipe(outbound).pipe(inbound);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('the relay has no port');
  const cutAll = () => {
    for (const socket of open) socket.resetAndDestroy();
  };
  return {
    port: address.port,
    cut: () => {
      up = false;
      cutAll();
    },
    restore: () => {
      up = true;
    },
    close: async () => {
      cutAll();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
