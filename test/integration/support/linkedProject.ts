// A small linked project written into a fresh temp folder, registered and synced through the
// extension's engine: an epic whose title is an HTML payload, stories that point at each other, a
// bug and a plan under a story, and a notes file outside sdlc-studio that mentions ids.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Project } from '../../../src/core/types';
import type { AsyncLensEngine } from '../../../src/core/worker/protocol';

export const PAYLOAD = '<img src=x onerror=alert(1)>';

const doc = (title: string, header: Record<string, string>, body = '') =>
  `# ${title}\n\n${Object.entries(header).map(([k, v]) => `> **${k}:** ${v}`).join('\n')}\n\n${body}\n`;

export interface LinkedProject {
  root: string;
  sdlc: string;
  project: Project;
  file(rel: string): string;
  notes: string;
}

export async function linkedProject(engine: AsyncLensEngine, name: string): Promise<LinkedProject> {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'lens-links-')));
  const sdlc = path.join(root, name.toLowerCase(), 'sdlc-studio');
  const files: Record<string, string> = {
    'epics/EP0001-payload.md': doc(`EP0001: ${PAYLOAD}`, { Status: 'Draft', Owner: 'Erin' }, 'The epic body.'),
    'stories/US0001-first.md': doc('US0001: First Story', { Status: 'Done', Epic: '[EP0001](../epics/EP0001-payload.md)', Owner: 'Alice' }, 'Builds the gizmo &lt;b&gt;fast.'),
    'stories/US0002-second.md': doc('US0002: Second Story', { Status: 'Draft', 'Depends On': 'US0001' }, 'Follows US0001 closely.\nThe gizmo again.'),
    'bugs/BG0001-broken.md': doc('BG0001: Broken Gizmo', { Status: 'Open', Story: 'US0001' }, 'The gizmo breaks.'),
    'plans/PL0001-plan.md': doc('PL0001: Plan', { Status: 'Draft', Story: 'US0001' }, 'Plan for it.'),
  };
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(sdlc, rel)), { recursive: true });
    fs.writeFileSync(path.join(sdlc, rel), text);
  }
  const notes = path.join(root, 'notes.md');
  fs.writeFileSync(notes, 'Notes: see US0001 and US0999 and EP0001.\n');
  const project = await engine.registerProject({ name, sdlc_path: sdlc });
  const { done } = await engine.startSync(project.slug);
  const outcome = await done;
  if (outcome.sync_status !== 'synced') throw new Error(`sync failed: ${outcome.sync_error}`);
  await engine.whenIndexed();
  return { root, sdlc, project, notes, file: (rel) => path.join(sdlc, ...rel.split('/')) };
}
