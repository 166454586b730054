/**
 * Coalesces look-ups made in the same turn of the event loop into one call of
 * `loadMany`, so concurrent requests share one database round trip instead of
 * each paying its own (the DataLoader pattern, without its cache).
 */
export function createBatchLoader<K, V>(loadMany: (keys: K[]) => Promise<Map<K, V>>) {
  let pending: Map<K, Array<{ resolve: (value: V | undefined) => void; reject: (error: unknown) => void }>> | null =
    null;

  async function dispatch(batch: NonNullable<typeof pending>): Promise<void> {
    try {
      const found = await loadMany([...batch.keys()]);
      for (const [key, waiters] of batch) for (const waiter of waiters) waiter.resolve(found.get(key));
    } catch (error) {
      for (const waiters of batch.values()) for (const waiter of waiters) waiter.reject(error);
    }
  }

  return function load(key: K): Promise<V | undefined> {
    if (pending === null) {
      const batch = new Map<K, Array<{ resolve: (value: V | undefined) => void; reject: (error: unknown) => void }>>();
      pending = batch;
      setImmediate(() => {
        pending = null;
        void dispatch(batch);
      });
    }
    const batch = pending;
    return new Promise((resolve, reject) => {
      const waiters = batch.get(key) ?? [];
      waiters.push({ resolve, reject });
      batch.set(key, waiters);
    });
  };
}
