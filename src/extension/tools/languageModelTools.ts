// The agent tools as VS Code language-model tools (agents.md §3). Each call is answered by the
// engine's worker (engine.agentTool): nothing of a tool's work runs on the extension host's thread.
// prepareInvocation asks before the two tools that write: sdlc_set_status (from → to and the file,
// learnt from a dry run in the worker) and sdlc_sync.
import * as vscode from 'vscode';
import { AGENT_TOOLS } from '../../core/agent';
import type { AsyncLensEngine } from '../../core/worker/protocol';
import type { LanguageModelTool, PreparedToolInvocation } from './lmApi';

export interface ToolHost {
  engine: AsyncLensEngine;
  /** Slugs of the projects the tools see (those in the workspace), or undefined for all. */
  scope(): Promise<string[] | undefined>;
  /** Wraps the JSON answer in a LanguageModelToolResult. */
  result(text: string): unknown;
}

type Input = Record<string, unknown>;
const inputOf = (options: { input: unknown }): Input => (options.input && typeof options.input === 'object' ? (options.input as Input) : {});
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** A tool error's message for VS Code to hand to the model (never a stack). */
function errorOf(text: string): Error {
  try {
    const { error } = JSON.parse(text) as { error: { message: string } };
    return new Error(error.message);
  } catch {
    return new Error(text);
  }
}

async function answer(host: ToolHost, name: string, input: unknown): Promise<string> {
  const a = await host.engine.agentTool(name, input, { projects: await host.scope() });
  if (a.isError) throw errorOf(a.text);
  return a.text;
}

const md = (s: string): vscode.MarkdownString => new vscode.MarkdownString(s);
/** A value shown inside markdown as code (no markup of its own). */
const code = (s: unknown): string => '`' + String(s ?? 'none').replace(/`/g, "'") + '`';

const READING: Record<string, (i: Input) => string> = {
  sdlc_search: (i) => `Searching SDLC documents for "${str(i.query)}"`,
  sdlc_list_documents: () => 'Listing SDLC documents',
  sdlc_get_document: (i) => `Reading ${str(i.id)}`,
  sdlc_related: (i) => `Finding what is related to ${str(i.id)}`,
  sdlc_stats: () => 'Counting SDLC documents',
  sdlc_health: () => 'Checking SDLC health',
};

async function prepare(host: ToolHost, name: string, input: Input): Promise<PreparedToolInvocation> {
  if (name === 'sdlc_set_status') {
    if (input.dry_run === true) return { invocationMessage: `Checking the status change of ${str(input.id)}` };
    // The dry run runs the writer's checks: a refused change fails here, before anyone is asked.
    const plan = JSON.parse(await answer(host, name, { ...input, dry_run: true })) as Input;
    return {
      invocationMessage: `Setting the status of ${str(plan.id)} to ${str(plan.to)}`,
      confirmationMessages: {
        title: `Set the status of ${str(plan.id)}?`,
        message: md(
          `${code(plan.id)}: ${code(plan.from)} → ${code(plan.to)}\n\nFile: ${code(plan.file_path)} (project ${code(plan.project)}), written by ${plan.writer === 'sdlc-studio' ? "sdlc-studio's transition.py" : 'SDLC Lens (the status value only)'}.`,
        ),
      },
    };
  }
  if (name === 'sdlc_sync') {
    const which = typeof input.project === 'string' ? code(input.project) : 'every project in this workspace';
    return {
      invocationMessage: 'Syncing SDLC documents',
      confirmationMessages: { title: 'Sync SDLC documents?', message: md(`Re-read the sdlc-studio folder of ${which} into SDLC Lens.`) },
    };
  }
  return { invocationMessage: READING[name]?.(input) ?? name };
}

/** One implementation object per tool, by name (exported to the integration tests through the extension's API). */
export function agentToolImplementations(host: ToolHost): Map<string, LanguageModelTool> {
  const out = new Map<string, LanguageModelTool>();
  for (const { name } of AGENT_TOOLS) {
    out.set(name, {
      async invoke(options) {
        return host.result(await answer(host, name, options.input ?? {}));
      },
      prepareInvocation: (options) => prepare(host, name, inputOf(options)),
    });
  }
  return out;
}
