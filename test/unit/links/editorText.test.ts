// The plain-data halves of search and hover: what the Search box's text means, snippets as plain
// text, and the hover's Markdown with every document value escaped.
import assert from 'node:assert/strict';
import type { ResolvedRef } from '../../../src/core/engine-api';
import { ambiguousHoverMarkdown, chooseCommandLink, choiceItems, hoverMarkdown, openCommandLink } from '../../../src/extension/links/hoverText';
import { bestIdMatch, canonicalStatusFilter, canonicalTypeFilter, snippetText, toSearchQuery } from '../../../src/extension/search/query';

const ref = (over: Partial<ResolvedRef> = {}): ResolvedRef => ({
  ref: 'US0001',
  slug: 'alpha',
  project_name: 'Alpha',
  doc_id: 'US0001-first',
  type: 'story',
  title: 'US0001: First',
  status: 'Done',
  owner: 'Alice',
  epic: 'EP0001',
  story: null,
  file_path: 'stories/US0001-first.md',
  abs_path: '/tmp/alpha/sdlc-studio/stories/US0001-first.md',
  ...over,
});

describe('search input', () => {
  it('canonicalises typed types and statuses (labels, plurals, any spelling)', () => {
    assert.equal(canonicalTypeFilter('stories'), 'story');
    assert.equal(canonicalTypeFilter('Test-Spec'), 'test-spec');
    assert.equal(canonicalStatusFilter('in-progress'), 'In Progress');
    assert.equal(canonicalStatusFilter("won't fix"), "Won't Fix");
    assert.equal(canonicalStatusFilter('none'), 'none');
    assert.equal(canonicalStatusFilter('Whatever'), 'Whatever', 'an unknown status is kept as typed');
  });

  it('builds the engine query: the box as typed with a * on the last word, picked filters added unless typed', () => {
    assert.deepEqual(toSearchQuery('type:story ', {}), { q: 'type:story', per_page: 30 }, 'only a filter: a query');
    assert.deepEqual(toSearchQuery('type:bug crash', { type: 'story', project: 'p' }), { q: 'type:bug crash* project:p', per_page: 30 });
    assert.deepEqual(toSearchQuery('quokk', { status: 'In Progress' }), { q: 'quokk* status:"In Progress"', per_page: 30 });
    assert.deepEqual(toSearchQuery('quokka ', {}, 30, false), { q: 'quokka', per_page: 30 });
    assert.deepEqual(toSearchQuery('', { project: 'p' }), { q: 'project:p', per_page: 30 });
    assert.equal(toSearchQuery('', {}), null);
    assert.equal(toSearchQuery('!!!', {}), null);
    assert.equal(toSearchQuery('x'.repeat(600), {})!.q.length, 500);
  });

  it('an Enter before Open Document by ID has its items opens the exact id first, not a fuzzy neighbour', () => {
    const items = ['EP0002 · Booking flow', 'US0002 · Room detail page', 'US0020 · Other', 'US-01KZH5A2 · Badge in'].map((label) => ({ label }));
    assert.equal(bestIdMatch(items, 'US0002')?.label, 'US0002 · Room detail page');
    assert.equal(bestIdMatch(items, 'us-0002')?.label, 'US0002 · Room detail page');
    assert.equal(bestIdMatch(items, 'US002')?.label, 'US0020 · Other', 'a prefix of an id');
    assert.equal(bestIdMatch(items, 'badge')?.label, 'US-01KZH5A2 · Badge in');
    assert.equal(bestIdMatch(items, 'nothing'), undefined);
    assert.equal(bestIdMatch(items, '  '), undefined);
  });

  it('turns a snippet into plain text: marks removed, entities decoded', () => {
    assert.equal(snippetText('... a <mark>widget</mark> &lt;img src=x&gt; &amp; &quot;q&quot; &#39;s ...'), `... a widget <img src=x> & "q" 's ...`);
  });
});

describe('hover text', () => {
  it('shows label, type, status, epic, owner, project, path and the open link', () => {
    const link = openCommandLink({ $mid: 1, scheme: 'file', path: '/tmp/x.md' });
    const text = hoverMarkdown(ref(), link);
    assert.match(text, /^\*\*US0001 · First\*\*/);
    for (const line of ['Type: Story', 'Status: Done', 'Epic: EP0001', 'Owner: Alice', 'Project: Alpha']) assert.ok(text.includes(line), line);
    assert.ok(text.includes(`[Open document](${link})`));
    assert.ok(link.startsWith('command:sdlcLens.openDocument?'));
    assert.deepEqual(JSON.parse(decodeURIComponent(link.split('?')[1]!)), [{ $mid: 1, scheme: 'file', path: '/tmp/x.md' }]);
  });

  it('escapes HTML and Markdown in every document value', () => {
    const text = hoverMarkdown(ref({ title: '<img src=x onerror=alert(1)>', owner: '[x](command:evil)', status: '**b**' }), null);
    assert.ok(!/<img/.test(text.replace(/\\</g, '')), text);
    assert.ok(text.includes('\\<img src=x onerror=alert\\(1\\)\\>'), text);
    assert.ok(text.includes('Owner: \\[x\\]\\(command:evil\\)'), text);
    assert.ok(text.includes('Status: \\*\\*b\\*\\*'), text);
    assert.ok(!text.includes('Open document'), 'no link without a file');
  });

  it('an id several projects have: the hover lists each document with its own open link, escaped; the link carries the choices', () => {
    const a = ref({ slug: 'alpha', project_name: 'Alpha' });
    const b = ref({ slug: 'beta', project_name: 'Beta <b>', title: 'US0001: *Beta*', abs_path: '/tmp/beta/sdlc-studio/stories/US0001-b.md' });
    const text = ambiguousHoverMarkdown([a, b], (r) => openCommandLink({ path: r.abs_path }));
    assert.match(text, /is in 2 projects/);
    assert.equal((text.match(/\[Open\]\(command:sdlcLens\.openDocument\?/g) ?? []).length, 2);
    assert.ok(!text.includes('<b>') && !text.includes('*Beta*'), text);
    const items = choiceItems([a, b], (r) => ({ path: r.abs_path }));
    assert.deepEqual(items.map((i) => i.description), ['Story · Done · Alpha', 'Story · Done · Beta <b>']);
    const link = chooseCommandLink(items);
    assert.ok(link.startsWith('command:sdlcLens.openDocumentChoice?'));
    assert.deepEqual(JSON.parse(decodeURIComponent(link.split('?')[1]!))[0].length, 2);
  });
});
