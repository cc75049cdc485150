import { describe, expect, it } from 'vitest';
import { parseOptions, type SimOptions, UsageError } from './options.ts';

const NOW = Date.parse('2026-01-12T06:00:00Z');
const parse = (...argv: string[]) => parseOptions(argv, NOW) as SimOptions;

describe('pnpm sim options', () => {
  it('defaults to the demo city at 60x as ChirpStack JSON on the local broker', () => {
    expect(parse()).toMatchObject({
      devices: 5000,
      speed: 60,
      scenarios: [],
      mqtt: 'mqtt://127.0.0.1:1883',
      marshaler: 'json',
      output: 'chirpstack',
      seed: 1,
      start: NOW,
      timestamps: 'simulated',
      qos: 1,
    });
    expect(parse().durationS).toBeUndefined();
  });

  it('reads the flags of the issue example', () => {
    const o = parse(
      ...'--devices 5000 --speed 60 --scenario burst --mqtt mqtt://127.0.0.1:1883 --marshaler protobuf --output gateway --seed 1 --duration 600'.split(
        ' ',
      ),
    );
    expect(o).toMatchObject({
      devices: 5000,
      speed: 60,
      marshaler: 'protobuf',
      output: 'gateway',
      seed: 1,
      durationS: 600,
    });
    expect(o.scenarios.map((s) => s.name)).toEqual(['burst']);
  });

  it('takes several scenarios, repeated or comma-separated, and max speed with a duration', () => {
    const o = parse('--scenario', 'burst,smog', '--scenario', 'rejoin', '--speed', 'max', '--duration', '3600');
    expect(o.scenarios.map((s) => s.name)).toEqual(['burst', 'smog', 'rejoin']);
    expect(o.speed).toBe(Number.POSITIVE_INFINITY);
  });

  it('answers --help', () => {
    expect(parseOptions(['--help'])).toBe('help');
  });

  it.each([
    [['--speed', 'fast'], /--speed must be a positive number or max/],
    [['--speed', 'max'], /needs --duration/],
    [['--devices', '0'], /--devices must be a whole number of at least 1/],
    [['--scenario', 'flood'], /no scenario "flood"; there are burst, smog, cabinet, overflow, rejoin/],
    [['--marshaler', 'xml'], /--marshaler must be json or protobuf/],
    [['--output', 'kafka'], /--output must be chirpstack or gateway/],
    [['--start', 'yesterday'], /--start must be an ISO time/],
    [['--mqtt', '127.0.0.1'], /--mqtt must be a URL/],
    [['--qos', '2'], /--qos must be 0 or 1/],
    [['--colour'], /Unknown option '--colour'/],
  ])('rejects %j clearly', (argv, message) => {
    expect(() => parseOptions(argv, NOW)).toThrow(UsageError);
    expect(() => parseOptions(argv, NOW)).toThrow(message);
  });
});
