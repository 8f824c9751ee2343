// What Search Documents shows while a search waits for the search index (no `vscode` import,
// unit-tested with the real worker). The engine answers a search once nothing waits to be indexed
// (Engine.searchSettled): after a cold sync of a large project, or an image another process left
// queued, that is seconds (50k documents: ~25 s after the sync, in-process). Until the answer, the
// pick shows how many documents are left instead of only its busy bar.

/** How long a search may take before the pick says it waits, and how often it asks again. */
export const INDEX_WAIT_TIMING = { showAfterMs: 250, pollMs: 500 };

/** The pick's row while the index is built (`left`: documents still to index). */
export function indexWaitLabel(left: number): string {
  return `$(sync~spin) Building the search index: ${left.toLocaleString('en-US')} ${left === 1 ? 'document' : 'documents'} to go`;
}

/**
 * `answer`, unchanged. While it is pending (from `showAfterMs` on, every `pollMs`), asks `queued`
 * how many documents wait to be indexed and calls `report` with that count when it is above 0.
 * Nothing is reported once `answer` has settled; a failed `queued` reports nothing.
 */
export function reportIndexWait<T>(
  answer: Promise<T>,
  queued: () => Promise<number>,
  report: (left: number) => void,
  timing: { showAfterMs: number; pollMs: number } = INDEX_WAIT_TIMING,
): Promise<T> {
  let settled = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const tick = async (): Promise<void> => {
    const left = await queued().catch(() => 0);
    if (settled) return;
    if (left > 0) report(left);
    timer = setTimeout(() => void tick(), timing.pollMs);
  };
  timer = setTimeout(() => void tick(), timing.showAfterMs);
  return answer.finally(() => {
    settled = true;
    clearTimeout(timer);
  });
}
