// Hand-written notes shown beside figures in BENCHMARKS.md (profile findings for missed targets).
// Key: `<figure key>@<corpus label>` (figure keys in report.ts, labels as in run.ts: '2,352', '10k',
// '50k') or an extension-host figure key (results.ts HOST_TARGETS).
export const NOTES: Record<string, string> = {};
