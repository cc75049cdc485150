import { ConfigError } from '@city/ingest';
import { describe, expect, it } from 'vitest';
import { loadPlatformConfig } from './config.ts';

describe('the platform settings', () => {
  it('takes PUBLIC_URL as an http(s) base without a trailing slash', () => {
    expect(loadPlatformConfig({}).publicUrl).toBeUndefined();
    expect(loadPlatformConfig({ PUBLIC_URL: 'https://City.Example.org/' }).publicUrl).toBe('https://city.example.org');
    expect(loadPlatformConfig({ PUBLIC_URL: ' https://city.example.org/twin// ' }).publicUrl).toBe(
      'https://city.example.org/twin',
    );
  });

  it.each([
    'city.example.org',
    'ftp://city.example.org',
    'javascript:alert(1)',
    'https://city.example.org/?a=1',
    'https://city.example.org/#top',
  ])('stops the start on PUBLIC_URL=%s', (url) => {
    expect(() => loadPlatformConfig({ PUBLIC_URL: url })).toThrow(ConfigError);
    expect(() => loadPlatformConfig({ PUBLIC_URL: url })).toThrow(/PUBLIC_URL: expected/);
  });

  it('does not repeat a password given in PUBLIC_URL', () => {
    expect(() => loadPlatformConfig({ PUBLIC_URL: 'https://user:secret@city.example.org' })).toThrow(
      /^(?![\s\S]*secret)[\s\S]*PUBLIC_URL/,
    );
  });

  it("takes the wall's rotation only of views it has, for 5 s to an hour each", () => {
    expect(loadPlatformConfig({ WALL_VIEWS: 'city, air,outages' }).wallViews).toEqual(['city', 'air', 'outages']);
    expect(loadPlatformConfig({}).wallViews).toEqual([]);
    expect(() => loadPlatformConfig({ WALL_VIEWS: 'city,weather' })).toThrow(/WALL_VIEWS: unknown view weather/);
    expect(loadPlatformConfig({ WALL_ROTATE_S: '45' }).wallRotateSeconds).toBe(45);
    for (const seconds of ['1', '86400', 'soon']) {
      expect(() => loadPlatformConfig({ WALL_ROTATE_S: seconds })).toThrow(/WALL_ROTATE_S/);
    }
  });

  it("serves the workspace's dashboard build unless DASHBOARD_DIR says where", () => {
    expect(loadPlatformConfig({}).dashboardDir).toMatch(/\/dashboard\/dist$/);
    expect(loadPlatformConfig({ DASHBOARD_DIR: '/app/dashboard' }).dashboardDir).toBe('/app/dashboard');
  });
});
