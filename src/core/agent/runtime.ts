// Running one agent tool call: check the name and the input, build the call's context (scope,
// freshness), run the handler, and turn the result or any failure into a ToolAnswer. Never throws:
// a bad call is a tool error naming the field, a failure is a short message, never a stack.
import type { LensEngine } from '../engine-api';
import { isLensError, messageOf } from '../errors';
import type { Store } from '../store/database';
import type { Logger } from '../types';
import { ToolInputError, toolContext } from './context';
import { Freshness } from './freshness';
import { HANDLERS } from './handlers';
import { inputProblems } from './schemas';
import { AGENT_TOOL_NAMES, agentTool } from './tools';

/** One tool call's answer: JSON text for the model, and whether it is an error. */
export interface ToolAnswer {
  isError: boolean;
  /** JSON: the answer, or `{"error": {code, message, field?}}`. */
  text: string;
}

export interface AgentToolOptions {
  /** Slugs of the projects the caller may see (MCP roots, --project, a workspace). Absent: all. */
  projects?: string[];
}

/** Longest input (as JSON) a call may send; larger is an error before any parsing of its fields. */
export const MAX_INPUT_CHARS = 100_000;

export function errorAnswer(code: string, message: string, field?: string): ToolAnswer {
  return { isError: true, text: JSON.stringify({ error: { code, message, ...(field ? { field } : {}) } }) };
}

/** A VALIDATION_ERROR message starts with its field ("q: must not be empty"). */
const fieldOf = (message: string): string | undefined => /^([A-Za-z_][\w.]*): /.exec(message)?.[1];

export class AgentTools {
  readonly #freshness: Freshness;
  readonly #inFlight = new Map<string, Promise<void>>();

  constructor(
    private readonly engine: LensEngine,
    private readonly store: Store,
    private readonly logger: Logger,
  ) {
    this.#freshness = new Freshness(store);
    engine.onDidChange((c) => {
      if (c.kind === 'documents' || c.kind === 'removed') this.#freshness.forget(this.projectIdOf(c.slug));
      else if (c.kind === 'reloaded') this.#freshness.forget();
    });
  }

  async run(name: string, input: unknown, options: AgentToolOptions = {}): Promise<ToolAnswer> {
    const tool = typeof name === 'string' ? agentTool(name) : undefined;
    if (!tool) return errorAnswer('NOT_FOUND', `Unknown tool "${String(name)}" (tools: ${AGENT_TOOL_NAMES.join(', ')})`, 'name');
    let size: number;
    try {
      size = JSON.stringify(input ?? {}).length;
    } catch {
      return errorAnswer('VALIDATION_ERROR', 'input: must be a JSON object', 'input');
    }
    if (size > MAX_INPUT_CHARS) return errorAnswer('VALIDATION_ERROR', `input: too large (${size} characters, the limit is ${MAX_INPUT_CHARS})`, 'input');
    if (input !== undefined && (input === null || typeof input !== 'object' || Array.isArray(input))) {
      return errorAnswer('VALIDATION_ERROR', 'input: must be a JSON object', 'input');
    }
    const problem = inputProblems(tool.schema, input);
    if (problem) return errorAnswer('VALIDATION_ERROR', problem.message, problem.field);
    try {
      await this.engine.catchUp(); // another process (the extension, the CLI) may have written
      const ctx = toolContext({ engine: this.engine, store: this.store, freshness: this.#freshness, scope: options.projects, inFlight: this.#inFlight });
      const answer = await HANDLERS[tool.name](ctx, tool.schema.parse(input ?? {}) as never);
      return { isError: false, text: JSON.stringify(answer) };
    } catch (e) {
      if (e instanceof ToolInputError) return errorAnswer(e.code, e.message, e.field);
      if (isLensError(e)) return errorAnswer(e.code, e.message, e.code === 'VALIDATION_ERROR' ? fieldOf(e.message) : undefined);
      this.logger.error(`agent tool ${tool.name} failed: ${e instanceof Error && e.stack ? e.stack : messageOf(e)}`);
      return errorAnswer('INTERNAL', `${tool.name} failed: ${messageOf(e)}`);
    }
  }

  /** Closes the folder watches. */
  dispose(): void {
    this.#freshness.dispose();
  }

  private projectIdOf(slug: string): number | undefined {
    const id = this.store.get('SELECT id FROM projects WHERE slug = ?', [slug])?.id;
    return id === undefined ? undefined : Number(id);
  }
}
