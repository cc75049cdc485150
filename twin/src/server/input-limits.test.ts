import { afterAll, describe, expect, it } from 'vitest';
import { testServer } from '../../test/test-server.ts';

/** Hostile or careless requests: each gets a 400 that says why, and nothing reaches the database. */
describe('limits on every input', async () => {
  const server = await testServer();
  const operator = await server.as('operator');
  afterAll(() => server.close());

  const status = async (url: string, payload?: object) =>
    (await operator({ method: payload ? 'POST' : 'GET', url, ...(payload ? { payload } : {}) })).statusCode;

  it('every string a request may carry has a maximum length', () => {
    const unbounded: string[] = [];
    const walk = (schema: unknown, path: string): void => {
      if (typeof schema !== 'object' || schema === null) return;
      const node = schema as Record<string, unknown>;
      const types = [node.type].flat();
      if (
        types.includes('string') &&
        node.maxLength === undefined &&
        node.enum === undefined &&
        node.const === undefined
      ) {
        unbounded.push(path);
      }
      for (const [key, child] of Object.entries(node)) walk(child, `${path}.${key}`);
    };
    const spec = server.app.swagger() as unknown as { paths: Record<string, Record<string, Record<string, unknown>>> };
    for (const [url, operations] of Object.entries(spec.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        walk(operation.parameters, `${method} ${url} parameters`);
        walk(operation.requestBody, `${method} ${url} body`);
      }
    }
    expect(unbounded).toEqual([]);
  });

  it('numbers and instants the database could not take', async () => {
    expect(await status('/api/v1/devices?offset=1e300')).toBe(400);
    expect(await status('/api/v1/devices/0101010101010101/readings?from=0000-01-01T00:00:00Z')).toBe(400);
    expect(await status('/api/v1/devices/0101010101010101/readings?to=99999-01-01T00:00:00Z')).toBe(400);
  });

  it('a NUL character in a parameter, a query or a body', async () => {
    expect(await status('/api/v1/devices?objectNumber=%00')).toBe(400);
    expect(
      await status('/api/v1/devices', {
        devEui: '0101010101010101',
        model: 'milesight-iot/em310-udl',
        name: 'a\u0000b',
      }),
    ).toBe(400);
  });

  it('a 100 KB string: refused without being repeated back', async () => {
    const huge = 'x'.repeat(100 * 1024);
    const res = await operator({
      method: 'POST',
      url: '/api/v1/devices',
      payload: { devEui: '0101010101010101', model: 'milesight-iot/em310-udl', name: huge },
    });
    expect(res.statusCode).toBe(400);
    expect(res.body.length).toBeLessThan(1024);
    const unknown = await operator({
      method: 'POST',
      url: '/api/v1/devices',
      payload: { devEui: '0101010101010101', model: 'milesight-iot/em310-udl', [huge]: 1 },
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.body.length).toBeLessThan(1024);
  });

  it('a page of dead letters stays within its byte budget', async () => {
    // 40 frames of 64 KB: 5 MB of hex, more than a page may carry.
    await server.ingest.db.query(
      `INSERT INTO dead_letters (topic, payload, payload_bytes, reason, detail, fingerprint)
       SELECT 'big/' || n, decode(repeat('ab', 65536), 'hex'), 65536, 'unparseable', 'test', 'big-' || n
         FROM generate_series(1, 40) AS n`,
    );
    const page = (await operator({ url: '/api/v1/dead-letters?limit=1000' })).json() as { payloadHex: string }[];
    const bytes = page.reduce((sum, row) => sum + row.payloadHex.length, 0);
    expect(page.length).toBeGreaterThan(0);
    expect(page.length).toBeLessThan(40);
    expect(bytes).toBeLessThanOrEqual(1024 * 1024);
  });
});
