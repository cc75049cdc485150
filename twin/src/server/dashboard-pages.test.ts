import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { testServer } from '../../test/test-server.ts';

/** A dashboard build as Vite leaves it: the three pages and a hashed asset. */
function fakeBuild(): string {
  const dir = mkdtempSync(join(tmpdir(), 'dashboard-dist-'));
  for (const page of ['index', 'desk', 'r'])
    writeFileSync(join(dir, `${page}.html`), `<!doctype html><title>${page}</title>`);
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'assets', 'wall-abc123.js'), `${'console.log("a line of the wall");\n'.repeat(200)}`);
  writeFileSync(join(dir, 'secret.txt'), 'not an asset');
  return dir;
}

describe("the dashboard's pages on the platform's port", async () => {
  const dir = fakeBuild();
  const basemap = join(dir, 'city.pmtiles');
  writeFileSync(basemap, Buffer.alloc(1000, 7));
  const server = await testServer({
    dashboard: { dir, basemapFile: basemap },
    ui: { basemapFile: basemap, basemapAttribution: '© the city', wallViews: ['city', 'air'], wallRotateSeconds: 20 },
    demoKioskToken: 'kiosk-of-the-test',
  });
  const unbuilt = await testServer({ dashboard: { dir: join(dir, 'nothing-here') } });
  afterAll(async () => {
    await server.close();
    await unbuilt.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const { app } = server;

  it('serves each page (not cached) and the hashed assets (cached for a year)', async () => {
    for (const [url, title] of [
      ['/', 'index'],
      ['/desk', 'desk'],
      ['/r', 'r'],
      [`/r/${encodeURIComponent('ОП-03-00417')}`, 'r'],
    ]) {
      const res = await app.inject({ url: url as string });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.headers['cache-control']).toBe('no-cache');
      expect(res.body).toContain(`<title>${title}</title>`);
    }
    const asset = await app.inject({ url: '/assets/wall-abc123.js', headers: { 'accept-encoding': 'gzip' } });
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['cache-control']).toMatch(/max-age=31536000.*immutable/);
    // Compressed for browsers that take it: a phone's first load is a third of the bytes.
    expect(asset.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(asset.rawPayload).toString()).toMatch(/^console\.log/);
  });

  it('serves nothing outside the build, and says when there is no build', async () => {
    for (const url of ['/assets/../secret.txt', '/assets/%2e%2e/secret.txt', '/assets/nope.js', '/secret.txt']) {
      expect((await app.inject({ url })).statusCode, url).toBe(404);
    }
    expect((await app.inject({ url: `/r/${'x'.repeat(65)}` })).statusCode).toBe(400);
    const missing = await unbuilt.app.inject({ url: '/' });
    expect(missing.statusCode).toBe(503);
    expect(missing.json()).toMatchObject({ error: 'unavailable', message: expect.stringMatching(/not built/) });
  });

  it('lets the map start its workers and read images from blob: and data:, and nothing from elsewhere', async () => {
    const csp = (await app.inject({ url: '/' })).headers['content-security-policy'] as string;
    expect(csp).toMatch(/script-src 'self'(;|$)/);
    expect(csp).toMatch(/worker-src 'self' blob:/);
    expect(csp).toMatch(/img-src 'self' data: blob:(;|$)/);
    expect(csp).toMatch(/connect-src 'self'(;|$)/);
    expect(csp).not.toMatch(/upgrade-insecure-requests/);
  });

  it('answers the pages their start settings, and serves the base map file in ranges', async () => {
    const config = (await app.inject({ url: '/api/v1/ui-config' })).json();
    expect(config).toEqual({
      basemap: { kind: 'pmtiles', url: '/basemap.pmtiles', attribution: '© the city' },
      demoKioskToken: 'kiosk-of-the-test',
      wallRotation: { views: ['city', 'air'], seconds: 20 },
    });
    const part = await app.inject({ url: '/basemap.pmtiles', headers: { range: 'bytes=10-19' } });
    expect(part.statusCode).toBe(206);
    expect(part.rawPayload).toEqual(Buffer.alloc(10, 7));
    expect((await unbuilt.app.inject({ url: '/api/v1/ui-config' })).json()).toMatchObject({
      basemap: { kind: 'twin', url: null },
      demoKioskToken: null,
      wallRotation: { views: [] },
    });
  });

  it("takes the demo's kiosk token as a read-only kiosk on the API", async () => {
    const kiosk = { authorization: 'Bearer kiosk-of-the-test' };
    expect((await app.inject({ url: '/api/v1/devices', headers: kiosk })).statusCode).toBe(200);
    const write = await app.inject({ method: 'POST', url: '/api/v1/devices', headers: kiosk, payload: {} });
    expect(write.statusCode).toBe(403);
    const other = { authorization: 'Bearer kiosk-of-the-tesT' };
    expect((await app.inject({ url: '/api/v1/devices', headers: other })).statusCode).toBe(401);
    // Outside the demo there is no such token.
    expect((await unbuilt.app.inject({ url: '/api/v1/devices', headers: kiosk })).statusCode).toBe(401);
  });
});
