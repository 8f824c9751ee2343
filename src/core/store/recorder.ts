// A recording view of the sql.js connection for one `mutate` transaction: every statement that can
// change the database is noted (SQL + params) so the transaction can be appended to the change log
// and replayed, in the same order and with the same results, by every other process and at open.
// Statements must be deterministic: timestamps are params, ids come from the replay order.
import type { BindParams, Database as SqlDatabase, Statement as SqlStatement } from 'sql.js';
import type { Statement } from './changeLog';
import { paramsBytes } from './logCodec';

const READ = /^\s*(SELECT\b|PRAGMA\s+[\w.]+\s*;?\s*$)/i;
const DML = /^\s*(INSERT|UPDATE|DELETE|REPLACE)\b[^;]*;?\s*$/i;

const copy = (p: BindParams | undefined): unknown =>
  p === undefined || p === null ? undefined : Array.isArray(p) ? [...p] : { ...p };

/** True for SQL that only reads (never recorded). */
export const isReadOnlySql = (sql: string): boolean => READ.test(sql);

/**
 * A limit on what one transaction records (about its log record's size). Past it, the records are
 * dropped and `over` is set: the caller writes a new image instead of a log record, so a cold sync
 * does not keep every statement (and every document's bytes) alive until its commit.
 */
export interface RecordBudget {
  limit: number;
  bytes: number;
  over: boolean;
}

export function recordingView(db: SqlDatabase, out: Statement[], budget?: RecordBudget): SqlDatabase {
  /** A single INSERT/UPDATE/DELETE that changed no row changed nothing (its triggers did not fire). */
  const note = (k: Statement['k'], sql: string, p: BindParams | undefined, dml = DML.test(sql)): void => {
    if (dml && db.getRowsModified() === 0) return;
    if (budget?.over) return;
    const params = copy(p);
    if (budget) {
      budget.bytes += 5 + sql.length + paramsBytes(params);
      if (budget.bytes > budget.limit) {
        budget.over = true;
        out.length = 0;
        return;
      }
    }
    out.push(params === undefined ? { k, sql } : { k, sql, p: params });
  };
  const wrapStatement = (stmt: SqlStatement, sql: string): SqlStatement => {
    if (isReadOnlySql(sql)) return stmt;
    const dml = DML.test(sql); // once per prepared statement, not per row
    return new Proxy(stmt, {
      get(target, prop) {
        if (prop === 'run') {
          return (values?: BindParams) => {
            target.run(values);
            note('run', sql, values, dml);
          };
        }
        if (prop === 'step' || prop === 'bind' || prop === 'get' || prop === 'getAsObject') {
          return () => {
            throw new Error('inside mutate(), a writing prepared statement may only be used with run()');
          };
        }
        const v = Reflect.get(target, prop, target);
        return typeof v === 'function' ? v.bind(target) : v;
      },
    });
  };
  return new Proxy(db, {
    get(target, prop) {
      if (prop === 'run') {
        return (sql: string, params?: BindParams) => {
          target.run(sql, params);
          if (!isReadOnlySql(sql)) note('run', sql, params);
          return target;
        };
      }
      if (prop === 'exec') {
        return (sql: string, params?: BindParams) => {
          const r = target.exec(sql, params);
          if (!isReadOnlySql(sql)) note('exec', sql, params);
          return r;
        };
      }
      if (prop === 'prepare') {
        return (sql: string, params?: BindParams) => {
          if (params !== undefined && !isReadOnlySql(sql)) {
            throw new Error('inside mutate(), bind a writing statement through run(values)');
          }
          return wrapStatement(target.prepare(sql, params), sql);
        };
      }
      const v = Reflect.get(target, prop, target);
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });
}

/**
 * Prepared statements by SQL text, reused across the records of one replay: a record of a re-sync
 * that updated 3,584 rows' stat fields is 3,584 runs of one UPDATE, and preparing each anew (what
 * `db.run` does) made replaying it ~1.3 s in every new process. The caller frees it.
 */
export class StatementCache {
  private readonly prepared = new Map<string, SqlStatement>();
  constructor(private readonly db: SqlDatabase) {}

  run(sql: string, params: BindParams | undefined): void {
    let stmt = this.prepared.get(sql);
    if (!stmt) {
      stmt = this.db.prepare(sql);
      this.prepared.set(sql, stmt);
    }
    try {
      if (params !== undefined && params !== null) stmt.bind(params);
      stmt.step();
    } finally {
      stmt.reset();
    }
  }

  free(): void {
    for (const stmt of this.prepared.values()) stmt.free();
    this.prepared.clear();
  }
}

/** Replays recorded statements on `db` (the caller owns the transaction), runs through `cache`. */
export function replay(db: SqlDatabase, statements: Statement[], cache: StatementCache): void {
  for (const s of statements) {
    const p = s.p as BindParams | undefined;
    if (s.k === 'exec') db.exec(s.sql, p);
    else cache.run(s.sql, p);
  }
}
