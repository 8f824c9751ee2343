// The agent tools in the real extension host: vscode.lm.tools lists the eight, vscode.lm.invokeTool
// answers each read tool from the engine worker, bad input is an error naming the field, and the
// writing tools ask first (prepareInvocation's confirmation: from → to and the file for a status).
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { AGENT_TOOLS } from '../../src/core/agent';
import { lens, removeAllProjects, within } from './support/lens';
import { linkedProject, type LinkedProject } from './support/linkedProject';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** vscode.lm as VS Code 1.95+ has it (the extension builds against older typings). */
interface Lm {
  tools: readonly { name: string; description: string; inputSchema?: object; tags: readonly string[] }[];
  invokeTool(name: string, options: { input: object; toolInvocationToken: undefined }, token?: vscode.CancellationToken): Promise<{ content: unknown[] }>;
}
const lm = (vscode as unknown as { lm: Lm }).lm;

async function invoke(name: string, input: object): Promise<Json> {
  const r = await lm.invokeTool(name, { input, toolInvocationToken: undefined }, new vscode.CancellationTokenSource().token);
  const part = r.content[0] as { value: string };
  return JSON.parse(part.value) as Json;
}

describe('extension: agent tools (language-model tools)', function () {
  this.timeout(60_000);
  let api: Awaited<ReturnType<typeof lens>>;
  let lp: LinkedProject;

  before(async () => {
    api = await lens();
    await removeAllProjects(api);
    lp = await linkedProject(api.engine, 'Agentic');
  });
  after(async () => {
    await removeAllProjects(api);
    fs.rmSync(lp.root, { recursive: true, force: true });
  });

  it('registers all eight tools with vscode.lm, with the manifest descriptions and schemas', () => {
    assert.deepEqual([...api.agentTools.registered], AGENT_TOOLS.map((t) => t.name));
    const listed = lm.tools.filter((t) => t.name.startsWith('sdlc_'));
    assert.deepEqual(listed.map((t) => t.name).sort(), AGENT_TOOLS.map((t) => t.name).sort());
    for (const t of AGENT_TOOLS) {
      const info = listed.find((l) => l.name === t.name)!;
      assert.equal(info.description, t.description);
      assert.equal((info.inputSchema as { type?: string }).type, 'object');
    }
    // VS Code 1.100 has no MCP server definition provider API: nothing registered, nothing broken
    const v = vscode as unknown as { lm: { registerMcpServerDefinitionProvider?: unknown }; McpStdioServerDefinition?: unknown };
    const hasMcpApi = typeof v.lm.registerMcpServerDefinitionProvider === 'function' && typeof v.McpStdioServerDefinition === 'function';
    assert.equal(api.agentTools.mcp, hasMcpApi, api.log.recent.filter((l) => /agent tools|MCP/.test(l)).join('\n'));
    assert.match(api.agentTools.launch.cliPath, /dist[\\/]cli\.js$/);
    assert.ok(fs.existsSync(api.agentTools.launch.cliPath), 'the bundled CLI the MCP definition runs is in the extension');
  });

  it('the MCP server definition runs: the bundled CLI, with the host\'s runtime, over the extension\'s database', async () => {
    const d = api.agentTools.definition;
    assert.equal(d.command, process.execPath);
    assert.deepEqual(d.args.slice(1), ['mcp', '--data-dir', api.agentTools.launch.dataDir]);
    // run exactly that (the unpacked .vsix has no node_modules: the bundle must be self-contained)
    const child = spawn(d.command, d.args, { env: { ...process.env, ...d.env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
    const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
    child.stdin.write('{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}\n');
    child.stdin.write(`{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"sdlc_stats","arguments":{"project":"${lp.project.slug}"}}}\n`);
    child.stdin.end();
    assert.equal(await within(closed, 30_000, 'the MCP server to answer and exit'), 0);
    const lines = out.trim().split('\n').map((l) => JSON.parse(l) as Json);
    assert.deepEqual(lines.map((l) => l.id), [1, 2]);
    assert.equal(JSON.parse(lines[1].result.content[0].text).total_documents, 5);
  });

  it('answers every read tool through vscode.lm.invokeTool', async () => {
    const slug = lp.project.slug;
    const search = await invoke('sdlc_search', { query: 'gizmo' });
    assert.deepEqual(search.hits.map((h: Json) => h.id).sort(), ['BG0001', 'US0001', 'US0002']);
    for (const h of search.hits) assert.doesNotMatch(h.snippet, /<mark>/);
    const list = await invoke('sdlc_list_documents', { type: 'story' });
    assert.deepEqual(list.documents.map((d: Json) => [d.id, d.status, d.file_path]), [
      ['US0001', 'Done', 'stories/US0001-first.md'],
      ['US0002', 'Draft', 'stories/US0002-second.md'],
    ]);
    const doc = await invoke('sdlc_get_document', { id: 'us-0002' });
    assert.deepEqual([doc.id, doc.project, doc.depends_on], ['US0002', slug, ['US0001']]);
    assert.match(doc.content, /Follows US0001 closely/);
    const related = await invoke('sdlc_related', { id: 'US0001' });
    assert.deepEqual(related.parents.map((p: Json) => p.id), ['EP0001']);
    assert.deepEqual(related.children.map((c: Json) => c.id), ['BG0001', 'PL0001']);
    assert.deepEqual(related.dependents.map((d: Json) => d.id), ['US0002']);
    const stats = await invoke('sdlc_stats', { project: slug });
    assert.deepEqual([stats.total_documents, stats.by_type.story, stats.completion_percentage], [5, 2, 50]);
    const health = await invoke('sdlc_health', { project: slug });
    assert.equal(typeof health.score, 'number');
    assert.ok(health.findings.some((f: Json) => f.rule_id === 'MISSING_PRD'));
  });

  it('reads its own writes: a file changed on disk is synced before the tool reads it', async () => {
    const file = lp.file('stories/US0002-second.md');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('The gizmo again.', 'The gizmo again, now with flux capacitors.'));
    const search = await invoke('sdlc_search', { query: 'capacitors' });
    assert.deepEqual(search.hits.map((h: Json) => h.id), ['US0002']);
  });

  it('bad input is an error naming the field; the extension answers on', async () => {
    await assert.rejects(invoke('sdlc_get_document', { id: 7 }), /id: expected string/);
    await assert.rejects(invoke('sdlc_health', { rule: 'NOPE' }), /rule: unknown rule id "NOPE"/);
    assert.equal((await invoke('sdlc_stats', {})).total_projects, 1);
  });

  it('sdlc_set_status asks for confirmation showing from → to and the file; sdlc_sync asks too', async () => {
    const token = new vscode.CancellationTokenSource().token;
    const setStatus = api.agentTools.implementations.get('sdlc_set_status')!;
    const prepared = await setStatus.prepareInvocation!({ input: { id: 'US0002', status: 'In Progress' } }, token);
    assert.ok(prepared?.confirmationMessages, 'a confirmation is asked for');
    assert.equal(prepared.confirmationMessages.title, 'Set the status of US0002?');
    const message = prepared.confirmationMessages.message as vscode.MarkdownString;
    assert.match(message.value, /`US0002`: `Draft` → `In Progress`/);
    assert.match(message.value, /File: `stories\/US0002-second\.md`/);
    assert.equal(fs.readFileSync(lp.file('stories/US0002-second.md'), 'utf8').includes('> **Status:** Draft'), true, 'asking wrote nothing');
    // a refused change fails while preparing: nobody is asked to confirm it
    await assert.rejects(setStatus.prepareInvocation!({ input: { id: 'US0002', status: 'Teleported' } }, token), /status: "Teleported" is not a status/);
    // a dry run writes nothing: no confirmation
    assert.equal((await setStatus.prepareInvocation!({ input: { id: 'US0002', status: 'Done', dry_run: true } }, token))?.confirmationMessages, undefined);
    const sync = await api.agentTools.implementations.get('sdlc_sync')!.prepareInvocation!({ input: { project: lp.project.slug } }, token);
    assert.equal(sync?.confirmationMessages?.title, 'Sync SDLC documents?');
    // read tools never ask
    assert.equal((await api.agentTools.implementations.get('sdlc_search')!.prepareInvocation!({ input: { query: 'x' } }, token))?.confirmationMessages, undefined);

    // confirmed (the invocation itself; through vscode.lm.invokeTool outside a chat VS Code would ask
    // in a modal dialog): written through the worker, read back
    const result = (await setStatus.invoke({ input: { id: 'US0002', status: 'In Progress' }, toolInvocationToken: undefined }, token)) as { content: { value: string }[] };
    const done = JSON.parse(result.content[0].value) as Json;
    assert.deepEqual([done.from, done.to, done.changed], ['Draft', 'In Progress', true]);
    assert.match(fs.readFileSync(lp.file('stories/US0002-second.md'), 'utf8'), /^> \*\*Status:\*\* In Progress$/m);
    assert.equal((await invoke('sdlc_get_document', { id: 'US0002', include_content: false })).status, 'In Progress');
  });
});
