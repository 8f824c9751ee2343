// `sdlc-lens search` as a user runs it: the built CLI in child processes over a real data folder.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { renderSnippet } from '../../../src/cli/commands/search';
import { ensureCliBuilt, runCli, Sandbox } from '../engine/helpers';
import { writeCorpus } from './fixture';

describe('CLI: sdlc-lens search', function () {
  this.timeout(60_000);
  let sb: Sandbox;
  let dataArgs: string[];
  before(function () {
    this.timeout(120_000);
    ensureCliBuilt();
  });
  beforeEach(async () => {
    sb = new Sandbox();
    dataArgs = ['--data-dir', sb.dataDir];
    const root = writeCorpus(path.join(sb.dir('main'), 'sdlc-studio'));
    const r = await runCli(['sync', root, '--json', ...dataArgs]);
    assert.equal(r.code, 0, r.stderr);
  });
  afterEach(() => sb.dispose());

  it('--json prints the API body: the words after `search` are one query (words AND-ed, "phrases" in order)', async () => {
    const r = await runCli(['search', 'api', 'key', '--json', ...dataArgs]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, '');
    const page = JSON.parse(r.stdout);
    assert.deepEqual(Object.keys(page), ['items', 'total', 'query', 'page', 'per_page']);
    assert.deepEqual([page.total, page.query, page.items[0].doc_id], [2, 'api key', 'US0001-api-key-header']);
    const reversed = JSON.parse((await runCli(['search', '"key api"', '--json', ...dataArgs])).stdout);
    assert.deepEqual(reversed.items.map((i: { doc_id: string }) => i.doc_id), ['US0002-key-rotation']);
  });

  it('filters and paging flags', async () => {
    const json = async (...args: string[]) => JSON.parse((await runCli(['search', ...args, '--json', ...dataArgs])).stdout);
    assert.equal((await json('cafe', '--type', 'epic', '--status', 'In Progress', '--project', 'main')).total, 1);
    assert.equal((await json('cafe', '--type', 'story')).total, 0);
    assert.equal((await json('cafe', '--project', 'ghost')).total, 0);
    const p = await json('zephyr', '--per-page', '1', '--page', '2');
    assert.deepEqual([p.total, p.page, p.per_page, p.items[0].doc_id], [2, 2, 1, 'US0006-weather-notes']);
  });

  it('text output: one block per hit, no HTML; the document\'s own markup shown as text', async () => {
    const r = await runCli(['search', 'alert', ...dataArgs]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(
      r.stdout,
      [
        '1–1 of 1 documents matching "alert"',
        '',
        `main  bug  BG0001-injected-markup  [Open]  ${JSON.parse((await runCli(['search', 'alert', '--json', ...dataArgs])).stdout).items[0].score}`,
        '  BG0001: Injected markup',
        '  Pasted <script>alert(1)</script> and <img src=x onerror=alert(1)> into the "title" & it\'s shown.',
        '',
      ].join('\n'),
    );
    const none = await runCli(['search', 'nothing here', ...dataArgs]);
    assert.deepEqual([none.code, none.stdout], [0, 'No documents match "nothing here".\n']);
  });

  it('marks render as bold on a terminal; the document\'s control characters never reach it', () => {
    assert.equal(renderSnippet('a <mark>b</mark> &lt;c&gt; &amp;lt;', true), 'a \x1b[1mb\x1b[22m <c> &lt;');
    assert.equal(renderSnippet('a <mark>b</mark>', false), 'a b');
    assert.equal(renderSnippet('x\x1b[31my\x07', false), 'x[31my');
  });

  it('bad input: one line on stderr, exit 2, no stack', async () => {
    const cases: [string[], RegExp][] = [
      [['search'], /^sdlc-lens: usage: sdlc-lens search <query>/],
      [['search', ''], /^sdlc-lens: q: must not be empty/],
      [['search', 'api', '--per-page', '51'], /^sdlc-lens: per_page: must be less than or equal to 50/],
      [['search', 'api', '--page', 'x'], /^sdlc-lens: --page must be a whole number/],
    ];
    for (const [args, message] of cases) {
      const r = await runCli([...args, ...dataArgs]);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.equal(r.stdout, '');
      const lines = r.stderr.split('\n').filter(Boolean);
      assert.equal(lines.length, 1, r.stderr);
      assert.match(lines[0], message);
    }
  });
});
