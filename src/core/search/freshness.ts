// When may a search trust what it checked and computed at its previous call? A key for the state of
// the database: SQLite's total_changes() (every row this connection inserted, updated or deleted,
// triggers, other processes' replayed writes and the indexer's slices included), the schema cookie
// (a dropped or created table, which total_changes does not count), the store's generation (a fold
// reopens the connection, which restarts total_changes) and the connection object itself (a reload
// replaces it). Equal keys mean nothing was written in between.
import type { Database as SqlDatabase } from 'sql.js';

export interface Generation {
  logId: number;
  seq: number;
}

export class StateKey {
  private connection: SqlDatabase | null = null;
  private key = '';

  /** The key of the database's current state. */
  static of(db: SqlDatabase, generation: Generation | undefined): string {
    const [changes, schema] = db.exec('SELECT total_changes(), (SELECT schema_version FROM pragma_schema_version)')[0].values[0];
    return `${changes}/${schema}/${generation ? `${generation.logId}.${generation.seq}` : ''}`;
  }

  /** True when `db` is in the state last `remember`ed. */
  same(db: SqlDatabase, generation: Generation | undefined): boolean {
    return this.connection === db && this.key === StateKey.of(db, generation);
  }

  remember(db: SqlDatabase, generation: Generation | undefined): void {
    this.connection = db;
    this.key = StateKey.of(db, generation);
  }

  forget(): void {
    this.connection = null;
    this.key = '';
  }
}
