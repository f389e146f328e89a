// Preloaded (`node --expose-gc --require …`) into a service a spec spawns with an IPC channel: on 'heap' it
// collects garbage and answers the heap in use, so a memory spec measures the built service, not Jest.
'use strict';
process.on('message', async (message) => {
  if (message !== 'heap') return;
  for (let i = 0; i < 3; i++) {
    global.gc();
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  process.send({ heapUsed: process.memoryUsage().heapUsed });
});
// The channel must not keep a stopping service alive.
process.channel?.unref();
