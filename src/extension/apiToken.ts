// The API token of the server started from the editor (api.md §1.2, revised): the
// `sdlcLens.api.token` setting when it holds one, else a token generated once and kept in the
// editor's SecretStorage (never in settings or logs), so every mutating request needs it.
import type * as vscode from 'vscode';
import { generateToken } from '../core/api/posture';

const SECRET_KEY = 'sdlcLens.api.token';

export async function apiToken(secrets: vscode.SecretStorage, configured: string): Promise<string> {
  if (configured) return configured;
  const kept = await secrets.get(SECRET_KEY);
  if (kept) return kept;
  const token = generateToken();
  await secrets.store(SECRET_KEY, token);
  return token;
}
