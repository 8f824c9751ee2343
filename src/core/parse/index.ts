// Public API of the document parser. Pure TypeScript: nothing here may import 'vscode'.

/**
 * Bump whenever anything feeding stored derived columns changes (parser, type/id inference,
 * status canonicalisation, reference extraction, field mapping) — sync.md §6. Rows recorded with a
 * lower epoch are re-parsed on the next sync even when their bytes are unchanged.
 */
export const PARSER_EPOCH = 2;
// 2: header after HTML comments and frontmatter; record folders beat id prefixes; issue/charter/handoff.

export { readSourceConfig, statusVocabFingerprint } from './config';
export type { SourceConfig, StatusVocab } from './config';
export { isSkippedDirName, isCandidateFileName, classifyPath } from './paths';
export { parseDocument } from './document';
export type { ParsedDocument, ParseResult } from './document';
export { idHead, normId, extractRefId, displayId } from './ids';
export { canonicalStatus, isTerminal, statusGroup } from './status';
export type { StatusGroup } from './status';
export { TYPE_ORDER, typeRank, typeLabel } from './labels';
export { DOC_TYPES, RECORD_TYPES, RECORD_FOLDERS, FOLDER_TYPES, PREFIX_TYPES, STATUS_VOCAB, TERMINAL_STATUS } from './doctypes';
export type { DocTypeDef } from './doctypes';
