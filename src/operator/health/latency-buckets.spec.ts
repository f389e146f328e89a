import { bucketOf, LATENCY_BUCKETS, quantileMs } from './latency-buckets.js';

describe('latency buckets', () => {
  it('puts a duration in the first bucket whose bound holds it', () => {
    expect([0.3, 1, 1.5, 7, 1000, 1001, 60_000].map(bucketOf)).toEqual([0, 0, 1, 3, 9, 10, 13]);
  });

  it('reads quantiles off merged counts', () => {
    const counts = Array(LATENCY_BUCKETS).fill(0);
    counts[bucketOf(3)] = 90; // ≤ 5 ms
    counts[bucketOf(150)] = 9; // ≤ 200 ms
    counts[bucketOf(4000)] = 1; // ≤ 5000 ms
    expect(quantileMs(counts, 0.5)).toBe(5);
    expect(quantileMs(counts, 0.99)).toBe(200);
    expect(quantileMs(counts, 1)).toBe(5000);
    expect(quantileMs(Array(LATENCY_BUCKETS).fill(0), 0.5)).toBeNull();
    counts[bucketOf(90_000)] = 1000; // slower than the last bound: reported as the last bound
    expect(quantileMs(counts, 0.99)).toBe(30_000);
  });
});
