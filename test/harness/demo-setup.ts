// Runs once inside the extension host on `npm start`'s first start (loaded through extensionTestsPath):
// registers the demo workspace's sdlc-studio folder as a project and syncs it, through the extension's
// own commands, so the data lands in the demo user-data's globalStorage exactly as a user would make it.
import * as vscode from 'vscode';

export async function run(): Promise<void> {
  const folder = process.env.SDLC_LENS_DEMO_PROJECT;
  const name = process.env.SDLC_LENS_DEMO_NAME || 'SDLC Studio Lens';
  if (!folder) throw new Error('SDLC_LENS_DEMO_PROJECT is not set');
  const ext = vscode.extensions.getExtension('sdlc-lens.sdlc-lens');
  if (!ext) throw new Error('extension sdlc-lens.sdlc-lens is not installed');
  await ext.activate();
  try {
    await vscode.commands.executeCommand('sdlcLens.registerProject', vscode.Uri.file(folder), name);
    console.log(`[demo-setup] registered ${folder} as "${name}"`);
  } catch (e) {
    // Already registered by an earlier, interrupted setup: syncing it is still what we want.
    console.log(`[demo-setup] register: ${e instanceof Error ? e.message : String(e)}`);
  }
  // With one project, Sync Project syncs it without asking and resolves to the run's outcome.
  const outcome = await vscode.commands.executeCommand<{ sync_status?: string } | undefined>('sdlcLens.syncProject');
  console.log(`[demo-setup] sync outcome: ${JSON.stringify(outcome)}`);
  if (outcome?.sync_status !== 'synced') throw new Error(`demo sync did not succeed: ${JSON.stringify(outcome)}`);
}
