// The parts of VS Code's language-model API the agent tools use, declared here because the
// extension builds against @types/vscode 1.90 (lm.registerTool is 1.95+, the MCP server definition
// provider 1.101+). Everything is feature-detected at run time: on an older VS Code, absent.
import * as vscode from 'vscode';

export interface ToolInvocationOptions {
  input: unknown;
  toolInvocationToken?: unknown;
}

export interface PreparedToolInvocation {
  invocationMessage?: string | vscode.MarkdownString;
  confirmationMessages?: { title: string; message: string | vscode.MarkdownString };
}

/** vscode.LanguageModelTool<unknown>. */
export interface LanguageModelTool {
  invoke(options: ToolInvocationOptions, token: vscode.CancellationToken): Promise<unknown>;
  prepareInvocation?(options: { input: unknown }, token: vscode.CancellationToken): Promise<PreparedToolInvocation | undefined>;
}

export interface McpServerDefinitionProvider {
  onDidChangeMcpServerDefinitions?: vscode.Event<void>;
  provideMcpServerDefinitions(token: vscode.CancellationToken): unknown[];
}

interface LmNamespace {
  registerTool?(name: string, tool: LanguageModelTool): vscode.Disposable;
  registerMcpServerDefinitionProvider?(id: string, provider: McpServerDefinitionProvider): vscode.Disposable;
}

interface LmClasses {
  LanguageModelToolResult?: new (content: unknown[]) => unknown;
  LanguageModelTextPart?: new (value: string) => unknown;
  McpStdioServerDefinition?: new (label: string, command: string, args?: string[], env?: Record<string, string>, version?: string) => unknown;
}

const api = vscode as unknown as { lm?: LmNamespace } & LmClasses;

/** lm.registerTool and the result classes (VS Code 1.95+), or undefined. */
export function toolApi() {
  const { LanguageModelToolResult: Result, LanguageModelTextPart: Text } = api;
  const register = api.lm?.registerTool;
  if (typeof register !== 'function' || !Result || !Text) return undefined;
  return {
    register: (name: string, tool: LanguageModelTool) => register.call(api.lm, name, tool),
    result: (text: string) => new Result([new Text(text)]),
  };
}

/** lm.registerMcpServerDefinitionProvider and McpStdioServerDefinition (VS Code 1.101+), or undefined. */
export function mcpApi() {
  const register = api.lm?.registerMcpServerDefinitionProvider;
  const Stdio = api.McpStdioServerDefinition;
  if (typeof register !== 'function' || !Stdio) return undefined;
  return {
    register: (id: string, provider: McpServerDefinitionProvider) => register.call(api.lm, id, provider),
    stdio: (label: string, command: string, args: string[], env: Record<string, string>, version: string) => new Stdio(label, command, args, env, version),
  };
}
