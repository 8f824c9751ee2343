// Which ~32 tokens a snippet shows (api.md §6: "around the best match"): for each phrase occurrence
// in turn, the window of `width` tokens centred on it (pulled back from the document's edges); the
// first window holding the most whole occurrences wins. Shared by both snippet paths.

/**
 * The first token of the best window, and the index in `hits` of the occurrence it was centred on.
 * `hits` are the occurrences' first tokens, ascending (at least one).
 */
export function bestWindow(hits: readonly number[], phraseLength: number, tokenCount: number, width: number): { start: number; from: number } {
  const lastStart = Math.max(0, tokenCount - width);
  const lead = Math.floor((width - phraseLength) / 2);
  let best = 0;
  let from = 0;
  let bestCount = -1;
  let lo = 0; // first occurrence at or after the window's start
  let hi = 0; // first occurrence not wholly before the window's end
  for (let k = 0; k < hits.length; k++) {
    const h = hits[k];
    const start = Math.min(lastStart, Math.max(0, h - lead)); // never decreases from one h to the next
    while (lo < hits.length && hits[lo] < start) lo++;
    while (hi < hits.length && hits[hi] + phraseLength <= start + width) hi++;
    const count = Math.max(0, hi - lo);
    if (count > bestCount) {
      best = start;
      from = k;
      bestCount = count;
      if (count === hits.length) break; // no window can show more
    }
  }
  return { start: best, from };
}
