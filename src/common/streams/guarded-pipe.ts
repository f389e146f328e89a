import { finished, type Readable } from 'node:stream';

/**
 * `from.pipe(to)` with both ends' errors handled before a byte can flow. An 'error' with no listener ends
 * the process, and a pipe's consumer (a store's pipeline, say) may attach its own only after an await, when
 * the first chunk has already failed a limit. So: `to` keeps its error in `to.errored`, where a later
 * `pipeline(to, …)` finds it and rejects with it; and whatever ends `from` other than its end (an error, a
 * premature close — also one that happened before this call, as with a multipart part whose body was
 * already cut off) destroys `to` with that error, so nothing waits for an end that never comes.
 */
export function guardedPipe<T extends NodeJS.WritableStream & { destroy(error?: Error): unknown }>(
  from: Readable,
  to: T,
): T {
  to.on('error', () => undefined);
  finished(from, { writable: false }, (err) => {
    if (err) to.destroy(err);
  });
  return from.pipe(to);
}
