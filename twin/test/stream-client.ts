import type { AddressInfo } from 'node:net';
import type { PrincipalRole, StaffRole } from '@city/ingest';
import { io, type Socket } from 'socket.io-client';
import { ensureAccount } from '../src/access/accounts.ts';
import type { ClientToServerEvents, ServerToClientEvents, StreamAuth } from '../src/contract/stream.ts';
import type { TestServer } from './test-server.ts';

export type StreamClient = Socket<ServerToClientEvents, ClientToServerEvents>;

/** The address a test server listens on (127.0.0.1, a free port), once it does. */
export async function listen(server: TestServer): Promise<string> {
  await server.app.listen({ port: 0, host: '127.0.0.1' });
  return `http://127.0.0.1:${(server.app.server.address() as AddressInfo).port}`;
}

/**
 * A stream client, connected, with what it receives recorded from the start (rejects with the
 * server's refusal: `err.data` is `{error, message}`).
 */
export function connectStream(
  url: string,
  auth: StreamAuth | Record<string, unknown> = {},
): Promise<{ socket: StreamClient; received: Received }> {
  const socket: StreamClient = io(url, { auth, transports: ['websocket'], reconnection: false, forceNew: true });
  const received = recorder(socket);
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve({ socket, received }));
    socket.once('connect_error', (err) => {
      socket.close();
      reject(err);
    });
  });
}

/** A staff token of `role` (an account made for it; a dispatcher of `utility`, default the water utility). */
export async function staffToken(server: TestServer, role: StaffRole, utility?: string | null): Promise<string> {
  const of = role === 'dispatcher' ? (utility === undefined ? 'vodokanal' : utility) : null;
  const username = `stream-${role}-${of ?? 'all'}`;
  const password = `a password for ${username}`;
  await ensureAccount(server.ingest.db, { username, password, role, utility: of }, { demo: true });
  const res = await server.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password } });
  return res.json().token as string;
}

/** A new API key of `role`, made by the admin: its secret and its id. */
export async function apiKey(server: TestServer, role: PrincipalRole): Promise<{ key: string; id: number }> {
  const admin = await server.as('admin');
  const res = await admin({ method: 'POST', url: '/api/v1/api-keys', payload: { name: `stream ${role} key`, role } });
  return res.json() as { key: string; id: number };
}

export type Received = ReturnType<typeof recorder>;

/** Everything a client receives, by event, in order of arrival. */
function recorder(socket: StreamClient) {
  const seen: { event: string; data: unknown }[] = [];
  socket.onAny((event: string, data: unknown) => seen.push({ event, data }));
  return {
    seen,
    of: <T = unknown>(event: string) => seen.filter((s) => s.event === event).map((s) => s.data as T),
    /** Waits until `ready` holds (or fails after `ms`). */
    until: async (what: string, ready: () => boolean, ms = 5000) => {
      const end = Date.now() + ms;
      while (!ready()) {
        if (Date.now() > end) throw new Error(`timed out waiting for ${what}; seen: ${JSON.stringify(seen)}`);
        await new Promise((r) => setTimeout(r, 10));
      }
    },
  };
}
