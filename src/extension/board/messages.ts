// What the board page may post (untrusted input: anything else is ignored) and what it is sent.
import type { BoardModel } from './model';

export type BoardMessage =
  | { type: 'ready' }
  | { type: 'refresh' }
  | { type: 'open'; key: string }
  | { type: 'move'; key: string; to: string; seq: number }
  | { type: 'setType'; docType: string };

export type BoardReply =
  | { type: 'model'; model: BoardModel }
  /** The answer to a move: `ok` false snaps the card back and shows `reason`. */
  | { type: 'moved'; key: string; seq: number; ok: boolean; reason?: string; buffer?: boolean }
  | { type: 'error'; message: string };

const str = (v: unknown, max = 500): v is string => typeof v === 'string' && v.length > 0 && v.length <= max;

export function parseBoardMessage(m: unknown): BoardMessage | null {
  if (!m || typeof m !== 'object') return null;
  const o = m as Record<string, unknown>;
  switch (o.type) {
    case 'ready':
    case 'refresh':
      return { type: o.type };
    case 'open':
      return str(o.key, 4096) ? { type: 'open', key: o.key } : null;
    case 'move':
      return str(o.key, 4096) && str(o.to, 200) && Number.isSafeInteger(o.seq) ? { type: 'move', key: o.key, to: o.to, seq: o.seq as number } : null;
    case 'setType':
      return str(o.docType, 64) ? { type: 'setType', docType: o.docType } : null;
    default:
      return null;
  }
}
