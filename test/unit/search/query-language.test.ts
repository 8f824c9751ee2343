// The search query language (api.md §6.1): the parser's every form and malformed input, then its
// semantics through the engine on real synced folders (the fixture, the sample project and, when
// ../shared is there, the real corpora), checked against an independent scan of the files.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { SearchQuery, SearchPage } from '../../../src/core/engine-api';
import type { Engine } from '../../../src/core/engine';
import { tokenize } from '../../../src/core/search';
import { asYouType, ftsExpression, isSearchable, parseQuery } from '../../../src/core/search/queryLanguage';
import { dbModify, dbRows, describeShared, FIXTURES, LENS, registerAndSync, SAMPLE, Sandbox, sandboxPerTest, syncNow } from '../engine/helpers';
import { DOCS, writeCorpus } from './fixture';

const ids = (r: { items: { doc_id: string }[] }): string[] => r.items.map((i) => i.doc_id).sort();

describe('query language: the parser', () => {
  const p = (q: string) => {
    const r = parseQuery(q);
    return { terms: r.terms, excluded: r.excluded, filters: r.filters, id: r.id };
  };
  const words = (...terms: string[][]) => ({ terms, excluded: [], filters: {}, id: null });

  it('words are AND-ed terms, folded; a chunk of several word runs is a phrase of them', () => {
    assert.deepEqual(p('sync status'), words(['sync'], ['status']));
    assert.deepEqual(p('  Café   RÉSUMÉ '), words(['cafe'], ['resume']));
    assert.deepEqual(p('sync_status'), words(['sync_status']), '`_` is a word character');
    assert.deepEqual(p('sync-state foo.bar'), words(['sync', 'state'], ['foo', 'bar']));
    assert.deepEqual(p('OR NOT NEAR AND'), words(['or'], ['not'], ['near'], ['and']), 'no FTS operators');
  });

  it('"phrases", prefix* (2+ characters), exclusions of words and phrases', () => {
    assert.deepEqual(p('"sync status" x'), words(['sync', 'status'], ['x']));
    assert.deepEqual(p('reconc*'), words(['reconc*']));
    assert.deepEqual(p('re* r* é*'), words(['re*'], ['r'], ['e']), 'one character before * is a plain word');
    assert.deepEqual(p('"lin* app*"'), words(['lin*', 'app*']));
    assert.deepEqual(p('api -draft -"won\'t fix"'), { terms: [['api']], excluded: [['draft'], ['won', 't', 'fix']], filters: {}, id: null });
  });

  it('filters: the five keys, case-insensitive, quoted values, several values of one key', () => {
    assert.deepEqual(p('Type:story type:CR STATUS:"in progress" project:main epic:EP-0003 owner:darren word'), {
      terms: [['word']],
      excluded: [],
      filters: { type: ['story', 'CR'], status: ['in progress'], project: ['main'], epic: ['EP-0003'], owner: ['darren'] },
      id: null,
    });
  });

  it('an id alone is an id jump (and its words a term); with anything else it is not', () => {
    assert.equal(p('US0012').id, 'US0012');
    assert.equal(p(' us-01kx8b82 ').id, 'US01KX8B82');
    assert.equal(p('CR-0042').id, 'CR0042');
    assert.deepEqual(p('CR-0042').terms, [['cr', '0042']]);
    for (const q of ['US0012 login', 'US0012a', 'US12', 'hello', '"US0012"']) assert.equal(p(q).id, null, q);
  });

  it('malformed input is read as plain words, never an error', () => {
    assert.deepEqual(p('"api key'), words(['api'], ['key']), 'an unclosed quote');
    assert.deepEqual(p('- * -- **'), words(), 'lone - and *');
    assert.deepEqual(p('foo:bar'), words(['foo', 'bar']), 'an unknown key');
    assert.deepEqual(p('status: done'), words(['status'], ['done']), 'a key with no value');
    assert.deepEqual(p('status:""'), words(['status']), 'an empty quoted value');
    assert.deepEqual(p('-"'), words(), 'a lone quote after -');
    assert.deepEqual(p('a"b c"d'), words(['a', 'b'], ['c', 'd']), 'quotes inside a word are punctuation');
    for (const q of ['!!!', '   ', '"" * - :', '…', '-']) assert.equal(isSearchable(parseQuery(q)), false, q);
    // whatever the input, the parser answers and the MATCH expression holds only quoted word runs
    const alphabet = ['a', 'é', ' ', '"', '-', '*', ':', 'type', 'status', '(', ')', 'OR', '_', '1', 'US0001', '\\', "'"];
    let seed = 7;
    const next = () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 16) % alphabet.length;
    for (let i = 0; i < 5000; i++) {
      const q = Array.from({ length: 1 + (i % 12) }, () => alphabet[next()]).join('');
      const e = ftsExpression(parseQuery(q));
      if (e !== null) assert.match(e, /^"[^"*]+\*?(?: [^"*]+\*?)*"(?: (?:NOT )?"[^"*]+\*?(?: [^"*]+\*?)*")*$/u, q);
    }
  });

  it('the MATCH expression: terms quoted and AND-ed, exclusions NOT-ed', () => {
    assert.equal(ftsExpression(parseQuery('api -draft "a b" re*')), '"api" "a b" "re*" NOT "draft"');
    assert.equal(ftsExpression(parseQuery('type:story')), null, 'only filters: no text to match');
  });

  it('as you type: a * on the last word, except after a space, in a phrase, on a filter, exclusion or id', () => {
    const cases: [string, string][] = [
      ['quok', 'quok*'],
      ['sync sta', 'sync sta*'],
      ['quokka ', 'quokka '],
      ['q', 'q'],
      ['quok*', 'quok*'],
      ['type:st', 'type:st'],
      ['-dr', '-dr'],
      ['"sync sta', '"sync sta'],
      ['"sync status"', '"sync status"'],
      ['US0002', 'US0002'],
      ['api.', 'api.'],
      ['', ''],
    ];
    for (const [typed, sent] of cases) assert.equal(asYouType(typed), sent, typed);
  });
});

describe('query language: semantics (engine)', () => {
  const t = sandboxPerTest();
  const find = (q: string, extra: Omit<SearchQuery, 'q'> = {}) => t.engine.search({ q, per_page: 50, ...extra });
  let root = '';

  beforeEach(async () => {
    root = writeCorpus(path.join(t.sb.dir('main'), 'sdlc-studio'), [
      ...DOCS,
      { file: 'stories/US0008-epic-child.md', title: 'US0008: Epic child', status: 'In Progress', body: 'Belongs to the cafe epic. Reconciled.' },
    ]);
    // an epic link and an owner of two words
    const child = path.join(root, 'stories/US0008-epic-child.md');
    fs.writeFileSync(child, fs.readFileSync(child, 'utf8').replace('> **Owner:** Test', '> **Owner:** Darren Smith\n> **Epic:** [EP-0001](../epics/EP0001-cafe-ordering.md)'));
    await registerAndSync(t.engine, 'Main', root);
  });

  it('prefix: every word starting so, two characters are enough; the snippet marks the whole words', () => {
    assert.deepEqual(ids(find('reconc*')), ['US0008-epic-child']);
    assert.deepEqual(ids(find('zeph*')), ['US0005-zephyr-wind', 'US0006-weather-notes']);
    assert.deepEqual(ids(find('ze*')), ['US0005-zephyr-wind', 'US0006-weather-notes']);
    assert.deepEqual(ids(find('zephyrz*')), []);
    assert.match(find('reconc*').items[0].snippet, /<mark>Reconciled<\/mark>/);
  });

  it('exclusions of a word and of a phrase; an exclusion alone lists every other document', () => {
    assert.deepEqual(ids(find('zephyr -breeze')), ['US0006-weather-notes']);
    assert.deepEqual(ids(find('key -"key rotation"')), ['US0001-api-key-header']);
    const all = find('-zephyr');
    assert.equal(all.total, DOCS.length + 1 - 2);
    assert.ok(!all.items.some((i) => i.doc_id.includes('zephyr') || i.doc_id.includes('weather')));
  });

  it('filters: type, status (any case, "in progress"), project, epic (normalised), owner (a word of it); values of one key OR-ed', () => {
    assert.deepEqual(ids(find('cafe type:EPIC')), ['EP0001-cafe-ordering']);
    assert.deepEqual(ids(find('cafe type:epic type:story')), ['EP0001-cafe-ordering', 'US0008-epic-child']);
    assert.deepEqual(ids(find('cafe status:"in progress"')), ['EP0001-cafe-ordering', 'US0008-epic-child']);
    assert.deepEqual(ids(find('cafe status:IN-PROGRESS type:story')), ['US0008-epic-child']);
    assert.deepEqual(ids(find('zephyr status:done project:MAIN')), ['US0005-zephyr-wind', 'US0006-weather-notes']);
    assert.deepEqual(ids(find('zephyr project:ghost')), []);
    assert.deepEqual(ids(find('epic:ep0001')), ['US0008-epic-child']);
    assert.deepEqual(ids(find('epic:EP-0001 reconciled')), ['US0008-epic-child']);
    assert.deepEqual(ids(find('owner:darren')), ['US0008-epic-child']);
    assert.deepEqual(ids(find('owner:"darren smith"')), ['US0008-epic-child']);
    assert.deepEqual(ids(find('owner:dar')), [], 'a whole word of the owner, not a part');
    assert.equal(find('status:none').total, 1, 'status:none = no status');
  });

  it('only filters: every matching document, most recently modified file first', async () => {
    const stories = ['US0001-api-key-header', 'US0003-state-column', 'US0005-zephyr-wind', 'US0006-weather-notes'];
    stories.forEach((s, i) => fs.utimesSync(path.join(root, 'stories', `${s}.md`), new Date(2020, 0, 1 + i), new Date(2020, 0, 1 + i)));
    await syncNow(t.engine, 'main');
    const r = find('type:story status:done');
    assert.deepEqual(r.items.map((i) => i.doc_id), [...stories].reverse());
    assert.ok(r.items.every((i) => i.score > 0));
  });

  it('only filters or exclusions: the order is SQLite\'s own ORDER BY of the stored rows, ties included', async () => {
    const order = (r: SearchPage): string[] => r.items.map((i) => i.doc_id);
    // every file the same time but two, one story re-synced later (a newer synced_at among equals)
    const files = fs.readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.md'));
    const same = new Date(2021, 5, 1);
    for (const f of files) fs.utimesSync(path.join(root, f), same, same);
    fs.utimesSync(path.join(root, 'stories/US0005-zephyr-wind.md'), new Date(2022, 0, 1), new Date(2022, 0, 1));
    fs.utimesSync(path.join(root, 'stories/US0003-state-column.md'), new Date(2019, 0, 1), new Date(2019, 0, 1));
    await syncNow(t.engine, 'main');
    const edited = path.join(root, 'stories/US0006-weather-notes.md');
    fs.appendFileSync(edited, '\nOne more line.\n');
    fs.utimesSync(edited, same, same);
    await syncNow(t.engine, 'main');
    const stored = async (where: string) =>
      (await dbRows(t.sb.dbPath, `SELECT doc_id FROM documents d WHERE ${where} ORDER BY CAST(d.file_mtime_ns AS INTEGER) DESC, d.synced_at DESC, d.id`)).map((r) => r.doc_id);
    assert.deepEqual(order(find('type:story')), await stored("d.doc_type = 'story'"));
    assert.deepEqual(order(find('status:done')), await stored("d.status = 'Done'"));
    const zephyr = ids(find('zephyr'));
    assert.ok(zephyr.length > 0);
    assert.deepEqual(order(find('type:story -zephyr')), (await stored("d.doc_type = 'story'")).filter((d) => !zephyr.includes(String(d))));
    assert.deepEqual(order(find('-zephyr')), (await stored('1')).filter((d) => !zephyr.includes(String(d))), 'exclusions only');
    assert.equal(order(find('type:story'))[0], 'US0005-zephyr-wind', 'the newest file first');
  });

  it('an id alone: that document first (every project that has it), then the text matches', async () => {
    const other = writeCorpus(path.join(t.sb.dir('other'), 'sdlc-studio'), [
      { file: 'stories/US0002-elsewhere.md', title: 'US0002: Elsewhere', status: 'Done', body: 'Nothing in common.' },
      { file: 'stories/US0009-mentions.md', title: 'US0009: Mentions', status: 'Done', body: 'See US0002 for the rotation.' },
    ]);
    await registerAndSync(t.engine, 'Other', other);
    const r = find('US0002');
    assert.deepEqual(r.items.slice(0, 2).map((i) => `${i.project_slug}/${i.doc_id}`).sort(), ['main/US0002-key-rotation', 'other/US0002-elsewhere']);
    assert.deepEqual(r.items.slice(2).map((i) => i.doc_id), ['US0009-mentions']);
    assert.ok(r.items[1].score > r.items[2].score);
    assert.deepEqual(ids(find('us-0002', { project: 'other' })).slice(0, 1), ['US0002-elsewhere']);
    assert.equal(find('US0002 rotation').items[0].doc_id, 'US0002-key-rotation', 'with another word it is a text search');
  });

  it('no word and no filter: nothing; malformed input answers, never throws', () => {
    for (const q of ['!!!', '"', '- *', '""']) assert.equal(find(q).total, 0, q);
    for (const q of ['"api key', 'status:', 'foo:bar', '-"', 'type:"', '*api', 'a**', '-"won\'t fix" api']) assert.doesNotThrow(() => find(q), q);
    assert.deepEqual(ids(find('foo:key header')), [], 'an unknown key is a word');
  });
});

describe('query language: the index gains prefix indexes (migration 6)', () => {
  let sb: Sandbox;
  afterEach(() => sb.dispose());

  it('a schema-5 database (index without prefixes) upgrades, keeps every document searchable, and prefix queries work', async () => {
    sb = new Sandbox();
    let engine: Engine = await sb.engine();
    await registerAndSync(engine, 'Main', writeCorpus(path.join(sb.dir('main'), 'sdlc-studio')));
    await engine.whenIndexed();
    await engine.close();
    await dbModify(sb.dbPath, (db) => {
      db.exec('DROP TABLE documents_fts');
      db.exec(`CREATE VIRTUAL TABLE documents_fts USING fts4(content="documents", title, content, tokenize=unicode61 "remove_diacritics=2" "tokenchars=_")`);
      db.exec("INSERT INTO documents_fts (documents_fts) VALUES ('rebuild')");
      db.exec('PRAGMA user_version = 5');
    });
    engine = await sb.engine();
    const [row] = await dbRows(sb.dbPath, "SELECT sql FROM sqlite_master WHERE name = 'documents_fts'");
    assert.match(String(row!.sql), /prefix="2,3"/);
    assert.deepEqual(ids(engine.search({ q: 'ze*' })), ['US0005-zephyr-wind', 'US0006-weather-notes']);
    assert.equal(engine.search({ q: 'the' }).total > 3, true);
    await engine.close();
    assert.equal((await dbRows(sb.dbPath, 'PRAGMA user_version'))[0]!.user_version, 6);
  });
});

// ── the semantics on real corpora, against a scan of the files ─────────────────────────────────────

/** Every hit of `q`, all pages. */
function allHits(engine: Engine, q: string): SearchPage['items'] {
  const out: SearchPage['items'] = [];
  for (let page = 1; ; page++) {
    const r = engine.search({ q, page, per_page: 50 });
    out.push(...r.items);
    if (r.items.length < 50) return out;
  }
}

interface Scanned {
  doc_id: string;
  type: string;
  tokens: Set<string>;
}

const META_LINE = /^>\s*\*\*[^*]+\*\*/;

/**
 * The stored documents' files read from disk: the H1 and the body, metadata lines left out. `meta`
 * collects the words of every metadata line, which the queries avoid (a metadata block that is not
 * at the top stays in the stored content, and the scan does not model that).
 */
function scanFiles(engine: Engine, slug: string, root: string, meta: Set<string>): Scanned[] {
  return engine.exportDocuments(slug).map((d) => {
    const lines = fs.readFileSync(path.join(root, ...d.file_path.split('/')), 'utf8').split('\n');
    for (const line of lines) if (META_LINE.test(line)) for (const t of tokenize(line)) meta.add(t.norm);
    const text = lines.filter((line) => !META_LINE.test(line)).join('\n');
    return { doc_id: d.doc_id, type: d.type, tokens: new Set(tokenize(`${d.title}\n${text}`).map((t) => t.norm)) };
  });
}

const holds = (tokens: Set<string>, word: string): boolean =>
  word.endsWith('*') ? [...tokens].some((t) => t.startsWith(word.slice(0, -1))) : tokens.has(word);

function checkCorpus(name: string, source: string): void {
  it(`${name}: every hit holds every word; totals within 2% of a scan; prefix, exclusion, filters, id jump`, async function () {
    this.timeout(120_000);
    const sb = new Sandbox();
    try {
      const engine = await sb.engine();
      const root = sb.corpus('c', source);
      const project = await registerAndSync(engine, 'C', root);
      await engine.whenIndexed();
      const slug = project.slug;
      const meta = new Set<string>();
      const files = scanFiles(engine, slug, root, meta);
      // queries: word pairs taken from one document each (so most find something), prefixes of its
      // words, plus a few fixed ones
      let seed = 11;
      const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 8) % n;
      const usable = (w: string) => w.length > 3 && !/^\d+$/.test(w) && !meta.has(w);
      const vocab = [...new Set(files.flatMap((f) => [...f.tokens]))].filter(usable).sort();
      const queries: string[][] = [['api', 'key'], ['the']];
      for (let i = 0; i < 25; i++) {
        const own = [...files[rnd(files.length)].tokens].filter(usable);
        if (own.length) queries.push([own[rnd(own.length)], own[rnd(own.length)]]);
      }
      for (let i = 0; i < 8; i++) {
        const w = vocab[rnd(vocab.length)];
        if (![...meta].some((m) => m.startsWith(w.slice(0, 3)))) queries.push([`${w.slice(0, 3)}*`]);
      }
      let nonEmpty = 0;
      for (const words of queries) {
        const q = words.join(' ');
        const hits = allHits(engine, q);
        const scan = files.filter((f) => words.every((w) => holds(f.tokens, w))).length;
        for (const h of hits) {
          const d = engine.getDocument(h.project_slug, h.type, h.doc_id);
          const tokens = new Set(tokenize(`${d.title}\n${d.content}`).map((x) => x.norm));
          for (const w of words) assert.ok(holds(tokens, w), `${q}: ${h.doc_id} lacks ${w}`);
        }
        assert.ok(Math.abs(hits.length - scan) <= Math.max(0, 0.02 * scan), `${q}: ${hits.length} hits, the scan finds ${scan}`);
        if (hits.length) nonEmpty++;
      }
      assert.ok(nonEmpty >= queries.length / 2, `${nonEmpty} of ${queries.length} queries found something`);

      // exclusion: a − b
      const [a, b] = ['the', vocab[rnd(vocab.length)]];
      const minus = files.filter((f) => f.tokens.has(a) && !f.tokens.has(b)).length;
      assert.ok(Math.abs(engine.search({ q: `${a} -${b}` }).total - minus) <= 0.02 * minus, `${a} -${b}`);
      // a filter: stories holding the word
      const stories = files.filter((f) => f.type === 'story' && f.tokens.has(a)).length;
      assert.ok(Math.abs(engine.search({ q: `${a} type:story` }).total - stories) <= 0.02 * stories, 'type:story');
      assert.equal(engine.search({ q: 'type:story' }).total, files.filter((f) => f.type === 'story').length);
      // the id jump: each of a few documents with an id comes first for its id
      const withId = engine.exportDocuments(slug).filter((d) => /^[A-Z]{2,}-?[0-9A-Z]{4,}/.test(d.doc_id)).slice(0, 5);
      for (const d of withId) {
        const id = /^[A-Z]+-?[0-9A-Z]+/.exec(d.doc_id)![0];
        const first = engine.search({ q: id }).items[0];
        if (parseQuery(id).id) assert.equal(first?.doc_id.toUpperCase().replace(/-/g, '').startsWith(parseQuery(id).id!), true, `${id} → ${first?.doc_id}`);
      }
    } finally {
      await sb.dispose();
    }
  });
}

describe('query language on the sample project', () => checkCorpus('sample', SAMPLE));
describeShared('query language on the real corpora', () => {
  checkCorpus('corpus/lens', LENS);
  checkCorpus('corpus/fixtures', FIXTURES);
});
