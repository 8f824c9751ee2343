// Agent tool latency at 10,000 documents (issue 16: each read tool ≤ 50 ms p95 in-process; a new
// `sdlc-lens mcp` process answers its first call in ≤ 1 s):
//   npx tsx bench/agent.ts [documents=10000] [calls=40] [--keep]
// A synthetic corpus (bench/generate.ts), its files dated an hour back (as a working copy's are: the
// sync stores their stats, so the freshness probe finds them unchanged), registered and synced once.
// In-process: each read tool through engine.agentTool(), which includes the refresh and the freshness
// probe (a stat of every file) every call does. Then `node dist/cli.js mcp` is spawned `spawns` times
// on the same data folder and timed from spawn to the answer of its first tools/call.
// --keep keeps the corpus and database in the temp dir for the next call (reused when present).
// `npm run bench` calls measureAgent() (BENCH_AGENT_SIZES) and renders its target rows.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Engine } from '../src/core/engine';
import type { AgentMeasured } from './results';
import { fmtSpread, prepareSynced, spread, syncedDir } from './synced';

const CLI = path.resolve(__dirname, '..', 'dist', 'cli.js');
const P95_MS = 50;
const FIRST_CALL_MS = 1000;

async function inProcess(dir: string, calls: number): Promise<AgentMeasured['tools']> {
  const engine = await Engine.open({ dataDir: path.join(dir, 'data') });
  const out: AgentMeasured['tools'] = [];
  try {
    const docs = engine.exportDocuments('synthetic');
    const pick = (i: number) => docs[(i * 7919) % docs.length];
    const stories = docs.filter((d) => d.type === 'story');
    const epics = docs.filter((d) => d.type === 'epic');
    const words = ['sync', 'status', 'booking', 'login', 'cache', 'report', 'token', 'export'];
    const inputs: Record<string, (i: number) => object> = {
      sdlc_search: (i) => ({ query: `${words[i % words.length]} ${words[(i + 3) % words.length]}`, limit: 10 }),
      sdlc_list_documents: (i) => (i % 2 ? { type: 'story', status: 'In Progress', limit: 50 } : { epic: epics[i % epics.length]?.doc_id.slice(0, 6) ?? 'EP0001', limit: 50, offset: 0 }),
      sdlc_get_document: (i) => ({ id: pick(i).doc_id }),
      sdlc_related: (i) => ({ id: (epics[i % epics.length] ?? stories[i % stories.length]).doc_id }),
      sdlc_stats: () => ({}),
      sdlc_health: (i) => ({ min_severity: i % 2 ? 'high' : 'low', limit: 50 }),
    };
    await engine.agentTool('sdlc_stats', {}); // first call: the freshness probe's stored stats are read once
    console.log(`in-process, ${docs.length} documents, ${calls} calls per tool (agentTool: refresh + freshness probe + the tool)`);
    for (const [name, input] of Object.entries(inputs)) {
      const times: number[] = [];
      for (let i = 0; i < calls; i++) {
        const t = performance.now();
        const a = await engine.agentTool(name, input(i));
        times.push(performance.now() - t);
        if (a.isError) throw new Error(`${name} ${JSON.stringify(input(i))}: ${a.text}`);
      }
      const s = spread(times);
      out.push({ tool: name, ...s });
      console.log(`  ${name.padEnd(20)} ${fmtSpread(s)}  ${s.p95 <= P95_MS ? 'ok' : `MISSED (≤ ${P95_MS})`}`);
    }
    if (engine.getProject('synthetic').sync_status !== 'synced') throw new Error('the project is no longer synced');
  } finally {
    await engine.close();
  }
  return out;
}

/** Spawn → the first tools/call's answer, on the prepared data folder. */
function firstCall(dir: string, tool: string, args: object): Promise<number> {
  return new Promise((resolve, reject) => {
    const t = performance.now();
    const child = spawn(process.execPath, [CLI, 'mcp', '--data-dir', path.join(dir, 'data')], { stdio: ['pipe', 'pipe', 'ignore'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      if (out.split('\n').some((l) => l.includes('"id":2'))) {
        const ms = performance.now() - t;
        child.stdin.end();
        child.on('close', () => resolve(ms));
      }
    });
    child.on('error', reject);
    child.stdin.write('{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"bench","version":"1"}}}\n');
    child.stdin.write('{"jsonrpc":"2.0","method":"notifications/initialized"}\n');
    child.stdin.write(JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: tool, arguments: args } }) + '\n');
  });
}

/**
 * Prepares (or reuses) a synced corpus of `documents`, times `calls` calls of each read tool
 * in-process, then `spawns` new `sdlc-lens mcp` processes per tool (dist/cli.js must be built).
 * Prints as it goes; removes the corpus unless `keep`.
 */
export async function measureAgent(documents: number, calls: number, spawns: number, options: { seed?: number; keep?: boolean } = {}): Promise<AgentMeasured> {
  const dir = syncedDir('agent', documents, options.seed);
  if (!fs.existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build first`);
  const t = performance.now();
  await prepareSynced(dir, documents, options.seed);
  console.log(`corpus and database ready in ${((performance.now() - t) / 1000).toFixed(1)} s (${dir})`);
  try {
    const tools = await inProcess(dir, calls);
    const firstCalls: AgentMeasured['firstCall'] = [];
    for (const [tool, args] of [
      ['sdlc_get_document', { id: 'prd', include_content: false }],
      ['sdlc_search', { query: 'sync status', limit: 10 }],
    ] as const) {
      const ms: number[] = [];
      for (let i = 0; i < spawns; i++) ms.push(await firstCall(dir, tool, args));
      ms.sort((a, b) => a - b);
      firstCalls.push({ tool, ms });
      console.log(`new sdlc-lens mcp process, first call ${tool}: ${ms.map((s) => s.toFixed(0)).join(', ')} ms  ${ms.at(-1)! <= FIRST_CALL_MS ? 'ok' : `MISSED (≤ ${FIRST_CALL_MS})`}`);
    }
    return { documents, calls, tools, firstCall: firstCalls };
  } finally {
    if (!options.keep) fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const args = process.argv.slice(2).filter((a) => !a.startsWith('--'));
  const r = await measureAgent(Number(args[0] ?? 10_000), Number(args[1] ?? 40), 3, { keep: process.argv.includes('--keep') });
  const ok = r.tools.every((t) => t.p95 <= P95_MS) && r.firstCall.every((f) => f.ms.at(-1)! <= FIRST_CALL_MS);
  process.exitCode = ok ? 0 : 1;
}

if (require.main === module) {
  void main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
