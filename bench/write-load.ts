/**
 * A writer in a process of its own (the load of `bench/data-safety.ts`): CONCURRENCY loops POST
 * /api/v1/items to one tenant until SIGTERM, then print one JSON line: replies by status, the ids of the
 * acknowledged (201) writes, the longest run of non-201 replies in ms.
 * Usage: node dist/bench/write-load.js <base url> <slug> <token> [concurrency]
 */
const [base, slug, token, concurrency = '4'] = process.argv.slice(2);
const statuses: Record<string, number> = {};
const acknowledged: string[] = [];
let running = true;
let lastOk = Date.now();
let longestGapMs = 0;
process.on('SIGTERM', () => (running = false));

async function loop(worker: number): Promise<void> {
  for (let n = 0; running; n++) {
    const res = await fetch(`${base}/api/v1/items`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'x-tenant': slug, 'content-type': 'application/json' },
      body: JSON.stringify({ title: `load ${worker}-${n}`, body: 'x', tags: [] }),
    }).catch(() => undefined);
    const status = res ? String(res.status) : 'socket error';
    statuses[status] = (statuses[status] ?? 0) + 1;
    if (res?.status === 201) {
      acknowledged.push(((await res.json()) as { id: string }).id);
      longestGapMs = Math.max(longestGapMs, Date.now() - lastOk);
      lastOk = Date.now();
    } else {
      const retry = res?.headers.get('retry-after');
      await res?.arrayBuffer();
      if (status === '503' && !retry)
        statuses['503 without Retry-After'] = (statuses['503 without Retry-After'] ?? 0) + 1;
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}

await Promise.all(Array.from({ length: Number(concurrency) }, (_, i) => loop(i)));
process.stdout.write(`${JSON.stringify({ statuses, acknowledged, longestGapMs })}\n`);
