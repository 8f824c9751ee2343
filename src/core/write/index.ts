// The status writer (writing.md): the engine's one write to a source folder.
export { editStatusBytes, editStatusText, statusValueOf } from './valueEdit';
export type { Position, StatusEdit, TextChange } from './valueEdit';
export { pickStatus, statusChoices, vocabularyOf } from './choices';
export type { StatusChoice } from './choices';
export { findDocuments } from './find';
export type { DocumentCandidate } from './find';
export { StatusWriter } from './statusWriter';
export type { StatusWriterOptions } from './statusWriter';
export { resyncAfterWrite } from './resync';
export type { ResyncDeps } from './resync';
export { SKILL_TYPES, skillCannotAddress, skillIdOf } from './skillWriter';
