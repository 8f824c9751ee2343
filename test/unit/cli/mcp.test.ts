// `sdlc-lens mcp` as an MCP client sees it: the BUILT dist/cli.js spawned over stdio, spoken to with
// the SDK's own Client (initialize, tools/list, every tool, resources, roots and their changes), and
// a raw spawn writing bytes a client never should (not JSON, not JSON-RPC, an oversized line): each
// gets an error and the server lives on; stdout carries JSON-RPC and nothing else.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { getDefaultEnvironment, StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { ListRootsRequestSchema, McpError } from '@modelcontextprotocol/sdk/types.js';
import { AGENT_TOOLS, toolJsonSchema } from '../../../src/core/agent';
import { CLI, ensureCliBuilt, listFiles, Sandbox } from '../engine/helpers';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const text = (r: object): Json => JSON.parse(((r as { content: { text: string }[] }).content)[0].text) as Json;

const resource = (r: { contents: object[] }): Json => JSON.parse((r.contents[0] as { text: string }).text) as Json;

function ageFiles(root: string): void {
  const old = new Date(Date.now() - 3_600_000);
  for (const f of listFiles(root)) fs.utimesSync(path.join(root, f), old, old);
}

describe('sdlc-lens mcp (built CLI, SDK client over stdio)', function () {
  this.timeout(60_000);
  let sb: Sandbox;
  let client: Client;
  let transport: StdioClientTransport;
  let stderr: string;
  let transportErrors: Error[];
  let roots: { uri: string; name: string }[];
  let rootsAsked: number;
  let workA: string;
  let workB: string;

  before(() => ensureCliBuilt());

  beforeEach(async () => {
    sb = new Sandbox();
    workA = sb.dir('workspace-a');
    workB = sb.dir('workspace-b');
    ageFiles(sb.corpus('workspace-a/harbor'));
    ageFiles(sb.corpus('workspace-b'));
    roots = [{ uri: pathToFileURL(workA).href, name: 'a' }];
    rootsAsked = 0;
    stderr = '';
    transportErrors = [];
    // HOME in the sandbox: no skill installed for this machine's user, so the writer is SDLC Lens's own
    transport = new StdioClientTransport({
      command: process.execPath,
      args: [CLI, 'mcp', '--data-dir', sb.dataDir],
      stderr: 'pipe',
      cwd: sb.root,
      env: { ...getDefaultEnvironment(), HOME: sb.root },
    });
    transport.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    client = new Client({ name: 'lens-test', version: '1.0.0' }, { capabilities: { roots: { listChanged: true } } });
    client.setRequestHandler(ListRootsRequestSchema, async () => {
      rootsAsked++;
      return { roots };
    });
    client.onerror = (e) => transportErrors.push(e);
    await client.connect(transport);
  });

  afterEach(async () => {
    await client.close();
    await sb.dispose();
  });

  it('initializes, lists the eight tools with their JSON Schemas and annotations, and answers every tool', async () => {
    assert.deepEqual(client.getServerVersion()?.name, 'sdlc-lens');
    assert.ok(client.getServerCapabilities()?.tools);
    assert.match(client.getInstructions() ?? '', /sdlc_search/);
    const { tools } = await client.listTools();
    assert.deepEqual(tools.map((t) => t.name), AGENT_TOOLS.map((t) => t.name));
    for (const t of tools) {
      const spec = AGENT_TOOLS.find((s) => s.name === t.name)!;
      assert.deepEqual(t.inputSchema, toolJsonSchema(spec));
      assert.equal(t.description, spec.description);
      assert.equal(t.annotations?.readOnlyHint, spec.readOnly, t.name);
      assert.equal(t.annotations?.destructiveHint, false, t.name);
    }

    // the roots held an unregistered sdlc-studio/ folder: registered and synced, the only project in scope
    const stats = text(await client.callTool({ name: 'sdlc_stats', arguments: {} }));
    assert.deepEqual(stats.projects.map((p: Json) => [p.project, p.total_documents]), [['harbor', 42]]);
    assert.ok(rootsAsked >= 1);
    assert.match(stderr, /registered .*workspace-a\/harbor\/sdlc-studio as harbor/);

    const search = text(await client.callTool({ name: 'sdlc_search', arguments: { query: 'calendar', limit: 1 } }));
    assert.deepEqual([search.hits[0].id, search.total, search.next_offset], ['EP0003', 6, 1]);
    const list = text(await client.callTool({ name: 'sdlc_list_documents', arguments: { type: 'epic' } }));
    assert.deepEqual(list.documents.map((d: Json) => d.id), ['EP-01KZH4M7', 'EP0001', 'EP0002', 'EP0003']);
    const doc = text(await client.callTool({ name: 'sdlc_get_document', arguments: { id: 'US0005', include_content: false } }));
    assert.deepEqual([doc.id, doc.status, doc.file_path], ['US0005', 'In Progress', 'stories/US0005-book-a-free-slot.md']);
    const related = text(await client.callTool({ name: 'sdlc_related', arguments: { id: 'EP0003' } }));
    assert.deepEqual(related.parents, []);
    assert.ok(related.children.length > 0);
    const health = text(await client.callTool({ name: 'sdlc_health', arguments: { min_severity: 'critical' } }));
    assert.deepEqual([health.score, health.total_findings], [56, 0]);
    const sync = text(await client.callTool({ name: 'sdlc_sync', arguments: { project: 'harbor' } }));
    assert.deepEqual([sync.sync_status, sync.skipped, sync.added], ['synced', 42, 0]);
    const dry = text(await client.callTool({ name: 'sdlc_set_status', arguments: { id: 'US0005', status: 'Done', dry_run: true } }));
    assert.deepEqual([dry.from, dry.to, dry.writer, dry.changed, dry.dry_run], ['In Progress', 'Done', 'sdlc-lens', false, true]);
    const set = text(await client.callTool({ name: 'sdlc_set_status', arguments: { id: 'US0005', status: 'Done' } }));
    assert.deepEqual([set.from, set.to, set.changed], ['In Progress', 'Done', true]);
    assert.match(fs.readFileSync(path.join(workA, 'harbor', 'sdlc-studio', set.file_path), 'utf8'), /^> \*\*Status:\*\* Done$/m);
    assert.equal(text(await client.callTool({ name: 'sdlc_get_document', arguments: { id: 'US0005', include_content: false } })).status, 'Done');

    // a tool error is a result with isError, naming the field
    const bad = await client.callTool({ name: 'sdlc_get_document', arguments: { id: 42 } });
    assert.equal(bad.isError, true);
    assert.equal(text(bad).error.field, 'id');
    assert.equal(text(bad).error.message, 'id: expected string, received number', "the bundle keeps zod's messages");
    assert.deepEqual(transportErrors, [], 'every stdout line was a JSON-RPC message');
  });

  it('serves sdlc://projects and sdlc://project/{slug}', async () => {
    await client.callTool({ name: 'sdlc_stats', arguments: {} }); // the roots are read: harbor is registered
    const { resources } = await client.listResources();
    assert.deepEqual(resources.map((r) => r.uri), ['sdlc://projects', 'sdlc://project/harbor']);
    const { resourceTemplates } = await client.listResourceTemplates();
    assert.deepEqual(resourceTemplates.map((t) => t.uriTemplate), ['sdlc://project/{slug}']);
    const projects = resource(await client.readResource({ uri: 'sdlc://projects' }));
    assert.deepEqual(projects.projects.map((p: Json) => [p.slug, p.document_count, p.sync_status]), [['harbor', 42, 'synced']]);
    const summary = resource(await client.readResource({ uri: 'sdlc://project/harbor' }));
    assert.deepEqual(
      [summary.total_documents, summary.completion_percentage, summary.health],
      [42, 31.2, { score: 56, summary: { critical: 0, high: 2, medium: 16, low: 2 } }],
    );
    await assert.rejects(client.readResource({ uri: 'sdlc://project/nope' }), (e: unknown) => e instanceof McpError && /Resource not found/.test(e.message));
  });

  it('follows the roots: list_changed re-reads them and rescopes', async () => {
    assert.deepEqual(text(await client.callTool({ name: 'sdlc_stats', arguments: {} })).projects.map((p: Json) => p.project), ['harbor']);
    roots = [{ uri: pathToFileURL(workB).href, name: 'b' }];
    await client.sendRootsListChanged();
    const after = text(await client.callTool({ name: 'sdlc_stats', arguments: {} }));
    assert.deepEqual(after.projects.map((p: Json) => p.project), ['workspace-b']);
    const err = await client.callTool({ name: 'sdlc_stats', arguments: { project: 'harbor' } });
    assert.equal(err.isError, true);
    assert.match(text(err).error.message, /"harbor" is not in this session's scope/);
    roots = [
      { uri: pathToFileURL(workA).href, name: 'a' },
      { uri: pathToFileURL(workB).href, name: 'b' },
    ];
    await client.sendRootsListChanged();
    const both = text(await client.callTool({ name: 'sdlc_search', arguments: { query: 'calendar' } }));
    assert.equal(both.total, 12);
    assert.deepEqual([...new Set(both.hits.map((h: Json) => h.project))].sort(), ['harbor', 'workspace-b']);
    assert.ok(rootsAsked >= 3);
  });

  it('an unknown tool and huge arguments are errors; the server answers on', async () => {
    await assert.rejects(client.callTool({ name: 'sdlc_nope', arguments: {} }), (e: unknown) => e instanceof McpError && /Unknown tool "sdlc_nope"/.test(e.message));
    const huge = await client.callTool({ name: 'sdlc_search', arguments: { query: 'x'.repeat(2_000_000) } });
    assert.equal(huge.isError, true);
    assert.match(text(huge).error.message, /^input: too large/);
    const ok = await client.callTool({ name: 'sdlc_stats', arguments: {} });
    assert.equal(ok.isError, false);
    assert.deepEqual(transportErrors, []);
  });
});

describe('sdlc-lens mcp (raw bytes on stdin)', function () {
  this.timeout(60_000);
  let sb: Sandbox;
  before(() => ensureCliBuilt());
  beforeEach(() => (sb = new Sandbox()));
  afterEach(() => sb.dispose());

  it('answers lines that are not JSON, not JSON-RPC or too long with JSON-RPC errors, lives on, and writes only JSON-RPC to stdout', async () => {
    const sdlc = sb.corpus('harbor');
    const child = spawn(process.execPath, [CLI, 'mcp', '--data-dir', sb.dataDir, '--project', sdlc], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    const lines = (): Json[] => out.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Json);
    const answered = async (n: number): Promise<void> => {
      while (lines().length < n) await new Promise((r) => child.stdout.once('data', r));
    };
    const send = (s: string | Buffer): void => void child.stdin.write(s);

    send('{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"raw","version":"1"}}}\n');
    await answered(1);
    send('{"jsonrpc":"2.0","method":"notifications/initialized"}\n');
    send('this is not json\n');
    await answered(2);
    send('{"id":7,"hello":"world"}\n');
    await answered(3);
    send(Buffer.from([0xff, 0xfe, 0x00, 0x7b, 0x0a]));
    await answered(4);
    // a line over the 16 MiB limit, in pieces: skipped and answered, the stream read on
    const piece = 'x'.repeat(1024 * 1024);
    for (let i = 0; i < 17; i++) send(piece);
    send('\n');
    await answered(5);
    send('{"jsonrpc":"2.0","id":8,"method":"tools/call","params":{"name":"sdlc_stats","arguments":{"project":"harbor"}}}\n');
    await answered(6);
    send('{"jsonrpc":"2.0","id":9,"method":"no/such/method"}\n');
    await answered(7);

    const got = lines();
    for (const m of got) assert.equal(m.jsonrpc, '2.0', JSON.stringify(m));
    assert.equal(got[0].id, 1);
    assert.equal(got[0].result.serverInfo.name, 'sdlc-lens');
    assert.deepEqual(got[1], { jsonrpc: '2.0', id: null, error: { code: -32700, message: 'Parse error: the line is not JSON' } });
    assert.deepEqual(got[2], { jsonrpc: '2.0', id: 7, error: { code: -32600, message: 'Invalid Request: not a JSON-RPC 2.0 message' } });
    assert.equal(got[3].error.code, -32700);
    assert.deepEqual(got[4], { jsonrpc: '2.0', id: null, error: { code: -32600, message: 'Request too large (over 16777216 bytes)' } });
    assert.equal(got[5].id, 8);
    assert.equal(JSON.parse(got[5].result.content[0].text).total_documents, 42);
    assert.equal(got[6].id, 9);
    assert.equal(got[6].error.code, -32601);

    // closing stdin ends the server cleanly, after its last answer
    send('{"jsonrpc":"2.0","id":10,"method":"tools/call","params":{"name":"sdlc_health","arguments":{}}}\n');
    child.stdin.end();
    assert.equal(await exited, 0, err);
    const last = lines().at(-1)!;
    assert.equal(last.id, 10);
    assert.equal(JSON.parse(last.result.content[0].text).score, 56);
    assert.match(err, /sdlc-lens mcp: ready/);
  });
});
