// Versioned schema migrations, tracked with PRAGMA user_version. Each step runs in the caller's transaction.
import type { Database as SqlDatabase } from 'sql.js';

/**
 * FTS4 over documents(title, content) as an external-content index: the text is stored once (in
 * documents) and the index is kept in step by triggers, inside the same transaction as the rows.
 * Unicode-aware, case- and diacritic-folding, `_` is a word character (api.md §6).
 */
const FTS_OPTIONS_V1 = `content="documents", title, content, tokenize=unicode61 "remove_diacritics=2" "tokenchars=_"`;
/**
 * The index as built today (migration 6): the same, plus prefix indexes of 2 and 3 characters, so a
 * prefix query (`re*`, `sta*`, api.md §6.1) reads one index entry instead of every term it covers.
 */
const FTS_OPTIONS = `${FTS_OPTIONS_V1}, prefix="2,3"`;

const MIGRATIONS: string[] = [
  // 1: projects, documents, full-text index kept in step with documents by triggers.
  `
  CREATE TABLE projects (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    sdlc_path TEXT,
    sync_status TEXT NOT NULL DEFAULT 'never_synced'
      CHECK (sync_status IN ('never_synced', 'syncing', 'synced', 'error')),
    sync_error TEXT,
    sync_owner TEXT,
    schema_version TEXT,
    profile TEXT,
    status_vocab TEXT,
    last_synced_at TEXT,
    created_at TEXT NOT NULL
  );
  CREATE TABLE documents (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    file_path TEXT NOT NULL,
    doc_type TEXT NOT NULL,
    doc_id TEXT NOT NULL,
    ref_id TEXT,
    title TEXT NOT NULL,
    status TEXT,
    owner TEXT,
    priority TEXT,
    story_points INTEGER,
    epic TEXT,
    story TEXT,
    depends_on TEXT,
    aliases TEXT,
    metadata TEXT,
    content TEXT NOT NULL,
    file_hash TEXT NOT NULL,
    parser_epoch INTEGER NOT NULL,
    vocab_fingerprint TEXT NOT NULL DEFAULT '',
    synced_at TEXT NOT NULL,
    UNIQUE (project_id, file_path)
  );
  CREATE INDEX documents_by_type ON documents (project_id, doc_type, doc_id);
  CREATE INDEX documents_by_ref ON documents (project_id, ref_id);
  CREATE VIRTUAL TABLE documents_fts USING fts4(${FTS_OPTIONS_V1});
  CREATE TRIGGER documents_fts_before_update BEFORE UPDATE OF title, content ON documents BEGIN
    DELETE FROM documents_fts WHERE docid = old.id;
  END;
  CREATE TRIGGER documents_fts_before_delete BEFORE DELETE ON documents BEGIN
    DELETE FROM documents_fts WHERE docid = old.id;
  END;
  CREATE TRIGGER documents_fts_after_update AFTER UPDATE OF title, content ON documents BEGIN
    INSERT INTO documents_fts (docid, title, content) VALUES (new.id, new.title, new.content);
  END;
  CREATE TRIGGER documents_fts_after_insert AFTER INSERT ON documents BEGIN
    INSERT INTO documents_fts (docid, title, content) VALUES (new.id, new.title, new.content);
  END;
  `,
  // 2: the index is brought up to date from a queue instead of row by row inside the sync's
  // transaction. Rows enter `fts_pending` in the same transaction as the document change, and an
  // indexer drains it in small slices (ftsIndex.ts), so a large sync never holds the event loop for
  // seconds. Index entries are removed eagerly (the old text is still in the row at that moment),
  // except for rows never indexed yet.
  `
  CREATE TABLE fts_pending (id INTEGER PRIMARY KEY);
  DROP TRIGGER documents_fts_before_update;
  DROP TRIGGER documents_fts_before_delete;
  DROP TRIGGER documents_fts_after_update;
  DROP TRIGGER documents_fts_after_insert;
  CREATE TRIGGER documents_fts_before_update BEFORE UPDATE OF title, content ON documents
    WHEN NOT EXISTS (SELECT 1 FROM fts_pending WHERE id = old.id) BEGIN
    DELETE FROM documents_fts WHERE docid = old.id;
  END;
  CREATE TRIGGER documents_fts_before_delete BEFORE DELETE ON documents
    WHEN NOT EXISTS (SELECT 1 FROM fts_pending WHERE id = old.id) BEGIN
    DELETE FROM documents_fts WHERE docid = old.id;
  END;
  CREATE TRIGGER documents_fts_after_delete AFTER DELETE ON documents BEGIN
    DELETE FROM fts_pending WHERE id = old.id;
  END;
  CREATE TRIGGER documents_fts_after_insert AFTER INSERT ON documents BEGIN
    INSERT OR IGNORE INTO fts_pending (id) VALUES (new.id);
  END;
  CREATE TRIGGER documents_fts_after_update AFTER UPDATE OF title, content ON documents BEGIN
    INSERT OR IGNORE INTO fts_pending (id) VALUES (new.id);
  END;
  `,
  // 3: the change log (store/changeLog.ts) and stat-based skipping (sync/collect.ts). `lens_meta`
  // holds the seq of the last change folded into the image; each document keeps the size, mtime
  // (ns, as text) and inode of the file it was read from, so an unchanged file is not read again.
  `
  CREATE TABLE lens_meta (key TEXT PRIMARY KEY, value TEXT);
  ALTER TABLE documents ADD COLUMN file_size INTEGER;
  ALTER TABLE documents ADD COLUMN file_mtime_ns TEXT;
  ALTER TABLE documents ADD COLUMN file_ino TEXT;
  `,
  // 4: statistics and the health check read indexes only (health/queries.ts). `body_len` is the
  // length in code points of the trimmed content (health/docs.ts `bodyLength`; the character list is
  // TRIM_CHARS there), computed by SQLite whenever a row is written, so no writer can forget it;
  // `documents_health` holds every column the health check reads, so it never touches the content.
  `
  ALTER TABLE documents ADD COLUMN body_len INTEGER GENERATED ALWAYS AS (length(trim(content, char(
    9, 10, 11, 12, 13, 32, 160, 5760, 8192, 8193, 8194, 8195, 8196, 8197, 8198, 8199, 8200, 8201, 8202,
    8232, 8233, 8239, 8287, 12288, 65279)))) VIRTUAL;
  CREATE INDEX documents_stats ON documents (project_id, doc_type, status);
  CREATE INDEX documents_health ON documents (project_id, file_path, doc_id, doc_type, title, status, owner,
    priority, story_points, epic, story, synced_at, body_len);
  `,
  // 5: what a sync reads of every stored row (sync/stored.ts) from an index only. The stat columns
  // come after the content in the table, so reading them from the table walks each row's overflow
  // pages: ~35 ms of a 10k-document unchanged re-sync, ~9 ms with this index.
  `
  CREATE INDEX documents_sync ON documents (project_id, file_path, file_size, file_mtime_ns, file_ino,
    parser_epoch, vocab_fingerprint, ref_id, doc_id);
  `,
  // 6: the index gains prefix indexes (FTS_OPTIONS) for the query language's `prefix*` (api.md
  // §6.1). FTS4 cannot add them to an existing table: it is recreated empty and every document is
  // queued, so the background indexer (ftsIndex.ts) or the next search fills it in slices instead of
  // holding this transaction for seconds.
  `
  DROP TABLE IF EXISTS documents_fts;
  CREATE VIRTUAL TABLE documents_fts USING fts4(${FTS_OPTIONS});
  INSERT OR IGNORE INTO fts_pending (id) SELECT id FROM documents;
  `,
];

/** Empties the search index and queues every document for the indexer (migration 6's statements). */
export function requeueIndex(db: SqlDatabase): void {
  db.exec(MIGRATIONS[5]);
}

export const SCHEMA_VERSION = MIGRATIONS.length;

export function schemaVersionOf(db: SqlDatabase): number {
  return Number(db.exec('PRAGMA user_version')[0]?.values[0]?.[0] ?? 0);
}

/** Applies every pending migration. Returns the number applied. Throws on a database newer than the code. */
export function migrate(db: SqlDatabase): number {
  const current = schemaVersionOf(db);
  if (current > SCHEMA_VERSION) {
    throw new Error(`database schema ${current} is newer than this SDLC Lens understands (${SCHEMA_VERSION})`);
  }
  for (let v = current; v < SCHEMA_VERSION; v++) {
    db.exec(MIGRATIONS[v]);
    db.exec(`PRAGMA user_version = ${v + 1}`);
  }
  return SCHEMA_VERSION - current;
}

export function hasFtsTable(db: SqlDatabase): boolean {
  const r = db.exec("SELECT 1 FROM sqlite_master WHERE name = 'documents_fts'");
  return r.length > 0 && r[0].values.length > 0;
}

/**
 * The health probe of a live connection: it answers a query, its schema is this version's, its
 * search index table is there. Throws when the connection does not answer.
 */
export function probeSchema(db: SqlDatabase): { migration_ok: boolean; fts_ok: boolean } {
  db.exec('SELECT 1');
  return { migration_ok: schemaVersionOf(db) === SCHEMA_VERSION, fts_ok: hasFtsTable(db) };
}

/** Recreates the whole full-text index from the documents table (used when it is missing or suspect). */
export function rebuildFts(db: SqlDatabase): void {
  if (!hasFtsTable(db)) {
    db.exec(`CREATE VIRTUAL TABLE documents_fts USING fts4(${FTS_OPTIONS})`);
  }
  db.exec("INSERT INTO documents_fts (documents_fts) VALUES ('rebuild')");
  db.exec('DELETE FROM fts_pending');
}
