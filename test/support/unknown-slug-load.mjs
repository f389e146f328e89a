// Load for the unknown-slug memory spec, run as its own process (plain Node, no Jest): `count` requests to
// GET /api/v1/users/me, 100 at a time over keep-alive, each naming a random tenant that does not exist.
// Prints the statuses counted, as JSON, on its last line.
import { randomBytes } from 'node:crypto';
import { Agent, request } from 'node:http';

const [port, count] = [Number(process.argv[2]), Number(process.argv[3])];
const agent = new Agent({ keepAlive: true, maxSockets: 100 });
const send = () =>
  new Promise((resolve, reject) => {
    const req = request(
      {
        agent,
        port,
        host: '127.0.0.1',
        path: '/api/v1/users/me',
        headers: { 'x-tenant': `u${randomBytes(8).toString('hex')}` },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end();
  });
const statuses = {};
for (let sent = 0; sent < count; sent += 100) {
  for (const status of await Promise.all(Array.from({ length: Math.min(100, count - sent) }, send)))
    statuses[status] = (statuses[status] ?? 0) + 1;
}
agent.destroy();
console.log(JSON.stringify(statuses));
