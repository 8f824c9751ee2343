// A second extension in the extension host SDLC Lens runs in (issue 18): what a user's other
// extensions feel. From activation on, a 5 ms timer records the gaps between its ticks with
// performance.now() (a gap beyond the period is time the shared thread was held), and the host's
// RSS (process.memoryUsage().rss) is sampled every 100 ms. It knows nothing of SDLC Lens: the
// benchmark spec asks it for a window's figures through its exported API (begin/end).
'use strict';
const PERIOD_MS = 5;
const RSS_EVERY_MS = 100;

function activate() {
  let last = performance.now();
  let window = null;
  let lastRss = 0;
  const tick = setInterval(() => {
    const now = performance.now();
    if (window) {
      const gap = now - last - PERIOD_MS;
      if (gap > window.maxGapMs) window.maxGapMs = gap;
      if (gap > 16) window.longGaps++;
      window.ticks++;
      if (now - lastRss >= RSS_EVERY_MS) {
        lastRss = now;
        window.peakRss = Math.max(window.peakRss, process.memoryUsage().rss);
      }
    }
    last = now;
  }, PERIOD_MS);
  const mb = (b) => Math.round((b / 2 ** 20) * 10) / 10;
  /** The host thread's own V8 heap now (the main isolate every extension shares). */
  const heap = () => {
    const m = process.memoryUsage();
    return { hostHeapUsedMb: mb(m.heapUsed), hostHeapTotalMb: mb(m.heapTotal) };
  };
  return {
    dispose: () => clearInterval(tick),
    /** Starts a window (after the next tick, so its first gap is measured from a real tick). */
    begin() {
      return new Promise((resolve) => {
        setTimeout(() => {
          window = { start: performance.now(), maxGapMs: 0, ticks: 0, longGaps: 0, peakRss: process.memoryUsage().rss };
          last = performance.now();
          resolve();
        }, PERIOD_MS);
      });
    },
    /** Ends the window: its longest gap, the ticks, gaps over 16 ms, the host's RSS (now and peak) and the host thread's V8 heap now. */
    end() {
      const w = window;
      window = null;
      if (!w) throw new Error('host-probe: end() without begin()');
      const now = performance.now();
      const rss = process.memoryUsage().rss;
      return {
        maxGapMs: Math.round(Math.max(w.maxGapMs, now - last - PERIOD_MS, 0) * 10) / 10,
        ticks: w.ticks,
        longGaps: w.longGaps,
        durationMs: Math.round(now - w.start),
        rssMb: mb(rss),
        peakRssMb: mb(Math.max(w.peakRss, rss)),
        ...heap(),
      };
    },
    rssMb: () => mb(process.memoryUsage().rss),
    heap,
  };
}

module.exports = { activate, deactivate() {} };
