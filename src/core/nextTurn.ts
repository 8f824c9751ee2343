// One turn of the event loop: long work (a sync's walk and batches, the indexer's slices, a paged
// read) awaits it between its pieces, so requests and timers queued meanwhile run first.
export const nextTurn = (): Promise<void> => new Promise((r) => setImmediate(r));
