import type { HttpClient, HttpResponse } from './http.js';

export interface LoadResult {
  statuses: Record<number, number>;
  /** Replies that are neither 2xx nor 503 with Retry-After, with their bodies. */
  unexpected: string[];
}

/**
 * `workers` concurrent loops, each sending `perWorker` requests made by `next` (bounded: it stops by
 * itself), tallying statuses; a 503 must carry Retry-After.
 */
export async function drive(
  http: HttpClient,
  workers: number,
  perWorker: number,
  next: (i: number) => (h: HttpClient) => Promise<HttpResponse>,
): Promise<LoadResult> {
  const result: LoadResult = { statuses: {}, unexpected: [] };
  let n = 0;
  await Promise.all(
    Array.from({ length: workers }, async () => {
      for (let k = 0; k < perWorker; k++) {
        const res = await next(n++)(http).catch(
          (err: Error) => ({ status: 0, text: err.message, headers: new Headers() }) as HttpResponse,
        );
        result.statuses[res.status] = (result.statuses[res.status] ?? 0) + 1;
        const ok = res.status >= 200 && res.status < 300;
        const unavailable = res.status === 503 && Number(res.headers.get('retry-after')) > 0;
        if (!ok && !unavailable) result.unexpected.push(`${res.status} ${res.text.slice(0, 200)}`);
      }
    }),
  );
  return result;
}

/** Samples `probe` every `everyMs` until stopped; returns the maxima. */
export function sampleMax<T extends Record<string, number>>(probe: () => Promise<T>, everyMs: number) {
  const max: Record<string, number> = {};
  let running = true;
  const loop = (async () => {
    while (running) {
      const values = await probe().catch(() => undefined);
      for (const [k, v] of Object.entries(values ?? {})) max[k] = Math.max(max[k] ?? 0, v);
      await new Promise((r) => setTimeout(r, everyMs));
    }
  })();
  return {
    async stop(): Promise<Partial<T>> {
      running = false;
      await loop;
      return max as Partial<T>;
    },
  };
}
