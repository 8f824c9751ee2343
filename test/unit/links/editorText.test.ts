// The plain-data halves of search and hover: what the Search box's text means, snippets as plain
// text, and the hover's Markdown with every document value escaped.
import assert from 'node:assert/strict';
import type { ResolvedRef } from '../../../src/core/engine-api';
import { hoverMarkdown, openCommandLink } from '../../../src/extension/links/hoverText';
import { parseSearchInput, snippetText, toSearchQuery } from '../../../src/extension/search/query';

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
  it('takes typed filters out of the text and canonicalises type and status', () => {
    assert.deepEqual(parseSearchInput('type:stories status:in-progress widget api'), { text: 'widget api', type: 'story', status: 'In Progress' });
    assert.deepEqual(parseSearchInput('project:alpha status:"won\'t fix" crash'), { text: 'crash', project: 'alpha', status: "Won't Fix" });
    assert.deepEqual(parseSearchInput('status:none type:Test-Spec  x '), { text: 'x', status: 'none', type: 'test-spec' });
    assert.deepEqual(parseSearchInput('type: words'), { text: 'words' }, 'an empty filter is dropped');
    assert.deepEqual(parseSearchInput('status:Whatever q'), { text: 'q', status: 'Whatever' }, 'an unknown status is kept as typed');
  });

  it('builds the engine query; typed filters win over picked ones; no text, no query', () => {
    assert.equal(toSearchQuery(parseSearchInput('type:story '), {}), null);
    assert.deepEqual(toSearchQuery(parseSearchInput('type:bug crash'), { type: 'story', project: 'p' }), {
      q: 'crash',
      per_page: 30,
      type: 'bug',
      project: 'p',
    });
    assert.equal(toSearchQuery({ text: 'x'.repeat(600) }, {})!.q.length, 500);
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
});
