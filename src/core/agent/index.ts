// The agent tools (agents.md): one definition, served by the MCP server and the VS Code LM tools.
export { AGENT_TOOLS, AGENT_TOOL_NAMES, agentTool, toolJsonSchema, type AgentToolSpec } from './tools';
export { AgentTools, errorAnswer, MAX_INPUT_CHARS, type AgentToolOptions, type ToolAnswer } from './runtime';
export { MAX_CONTENT_CHARS, plainSnippet } from './handlers';
