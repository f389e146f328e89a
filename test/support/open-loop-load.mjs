// Open-loop load, run as its own process (plain Node, no Jest) so the measuring client's pauses (a Jest worker's
// heap after many suites) are not the service's: each stream sends GET `path` at `rate` a second for `seconds`,
// on the clock (not after the previous reply), with its own headers. Input: one JSON argument,
// { url, path, seconds, streams: [{ name, rate, headers }] }. Prints on its last line, as JSON,
// { streams: { [name]: { latencies: ms[], statuses: { [status]: count } } }, lateMs } — lateMs is how far
// behind its clock the sender fell at worst (a stalled client shows there, not as the service's latency).
import { Agent, request } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';

const { url, path, seconds, streams } = JSON.parse(process.argv[2]);
const { hostname, port } = new URL(url);
const agent = new Agent({ keepAlive: true, maxSockets: 256 });
const result = { streams: {}, lateMs: 0 };

const get = (headers) =>
  new Promise((resolve) => {
    const req = request({ agent, host: hostname, port, path, headers }, (res) => {
      res.on('error', () => resolve(0));
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.resume();
    });
    req.on('error', () => resolve(0));
    req.end();
  });

const run = async ({ name, rate, headers }) => {
  const own = (result.streams[name] = { latencies: [], statuses: {} });
  const pending = [];
  const start = performance.now();
  for (let i = 0; i < rate * seconds; i++) {
    const due = start + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    const sent = performance.now();
    result.lateMs = Math.max(result.lateMs, sent - due);
    pending.push(
      get(headers).then((status) => {
        own.latencies.push(performance.now() - sent);
        own.statuses[status] = (own.statuses[status] ?? 0) + 1;
      }),
    );
  }
  await Promise.all(pending);
};

await Promise.all(streams.map(run));
agent.destroy();
console.log(JSON.stringify(result));
