import { overRate, parseFailureRate, parseWaves, planWaves } from './fleet-waves.js';

const slugs = (n: number) => Array.from({ length: n }, (_, i) => `t${String(i).padStart(3, '0')}`);
const same = (s: string) => s;

describe('fleet waves', () => {
  it('parses increasing percentages and closes the list at 100', () => {
    expect(parseWaves('1,10,50,100')).toEqual([1, 10, 50, 100]);
    expect(parseWaves(' 5, 25 ')).toEqual([5, 25, 100]);
    for (const bad of ['0,10', '10,5', '1,,2', 'abc', '101', '-1', ''])
      expect(() => parseWaves(bad)).toThrow(/--waves/);
  });

  it('parses a failure rate from 0 to 1', () => {
    expect(parseFailureRate('0')).toBe(0);
    expect(parseFailureRate('0.05')).toBe(0.05);
    for (const bad of ['-0.1', '1.5', 'x', ''])
      expect(() => parseFailureRate(bad)).toThrow(/max-failure-rate/);
  });

  it('puts the canaries first, then each cumulative percentage of the rest', () => {
    const waves = planWaves(slugs(300), same, [1, 10, 50, 100], ['t150', 't007']);
    expect(waves.map((w) => [w.name, w.tenants.length])).toEqual([
      ['canary', 2],
      ['1%', 3],
      ['10%', 27],
      ['50%', 119],
      ['100%', 149],
    ]);
    expect(waves[0].tenants).toEqual(['t007', 't150']);
    const all = waves.flatMap((w) => w.tenants);
    expect(new Set(all).size).toBe(300);
    expect(waves.map((w) => w.index)).toEqual([0, 1, 2, 3, 4]);
  });

  it('drops waves left empty and refuses an unknown canary', () => {
    expect(planWaves(slugs(3), same, [1, 2, 50, 100], []).map((w) => w.tenants.length)).toEqual([1, 1, 1]);
    expect(() => planWaves(slugs(3), same, [100], ['nope'])).toThrow(/nope/);
  });

  it('is over the rate only beyond it', () => {
    expect(overRate(1, 100, 0)).toBe(true);
    expect(overRate(0, 100, 0)).toBe(false);
    expect(overRate(5, 100, 0.05)).toBe(false);
    expect(overRate(6, 100, 0.05)).toBe(true);
  });
});
