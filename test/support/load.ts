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

export interface OpenLoopStream {
  name: string;
  /** Requests a second, sent on the clock. */
  rate: number;
  headers: Record<string, string>;
}

export interface OpenLoopResult {
  streams: Record<string, { latencies: number[]; statuses: Record<number, number> }>;
  /** How far behind its clock the sender fell at worst (ms). */
  lateMs: number;
}

/** Runs test/support/open-loop-load.mjs, a load process of its own, against `url` (GET `path`). */
export async function openLoop(
  url: string,
  path: string,
  seconds: number,
  streams: OpenLoopStream[],
): Promise<OpenLoopResult> {
  const { execFile } = await import('node:child_process');
  const script = `${process.cwd()}/test/support/open-loop-load.mjs`;
  const stdout = await new Promise<string>((resolve, reject) =>
    execFile(process.execPath, [script, JSON.stringify({ url, path, seconds, streams })], (err, out) =>
      err ? reject(err) : resolve(out),
    ),
  );
  return JSON.parse(stdout.trim().split('\n').pop()!) as OpenLoopResult;
}
