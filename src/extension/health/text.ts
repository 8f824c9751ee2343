// The text helpers live in core (the engine's worker places diagnostics with them); re-exported here
// for the editor's code actions.
export * from '../../core/health/text';
