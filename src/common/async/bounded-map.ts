/**
 * Runs `fn` over `items` with at most `width` at once, in order of start; once `signal` is aborted no new
 * item starts (the ones in flight finish). Resolves with what each started item returned (or undefined for
 * those never started), in the items' order. `fn` should catch its own failures.
 */
export async function boundedMap<T, R>(
  items: readonly T[],
  width: number,
  fn: (item: T, index: number) => Promise<R>,
  signal?: AbortSignal,
): Promise<(R | undefined)[]> {
  const results: (R | undefined)[] = new Array(items.length).fill(undefined);
  let next = 0;
  const worker = async () => {
    while (!signal?.aborted && next < items.length) {
      const index = next++;
      results[index] = await fn(items[index], index);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(width, items.length)) }, worker));
  return results;
}
