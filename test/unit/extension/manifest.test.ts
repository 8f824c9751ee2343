// The manifest and the code agree: every contributed command is registered and vice versa,
// palette titles are exact, activation is lazy.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PKG, SETTINGS, SETTING_SECTIONS } from '../../support/manifest';

const root = path.resolve(__dirname, '../../..');
const pkg = PKG;

function sourceFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => path.join(dir, f));
}

/** Ids passed to registerCommand('…') or the `r('…'` shorthand of commands/index.ts. */
function registeredIds(): string[] {
  const ids: string[] = [];
  for (const f of sourceFiles(path.join(root, 'src/extension'))) {
    const text = fs.readFileSync(f, 'utf8');
    for (const m of text.matchAll(/(?:registerCommand|\br)\(\s*'(sdlcLens\.[A-Za-z.]+)'/g)) ids.push(m[1]);
  }
  return ids;
}

const PALETTE_TITLES = [
  'SDLC Lens: Register Project',
  'SDLC Lens: Detect Projects in Workspace',
  'SDLC Lens: Sync Project',
  'SDLC Lens: Sync All Projects',
  'SDLC Lens: Cancel Sync',
  'SDLC Lens: Remove Project',
  'SDLC Lens: Rename Project',
  'SDLC Lens: Show Log',
  'SDLC Lens: Start API Server',
  'SDLC Lens: Stop API Server',
  'SDLC Lens: Copy API URL',
  'SDLC Lens: Reveal Active File',
  'SDLC Lens: Search Documents',
  'SDLC Lens: Open Document by ID…',
  'SDLC Lens: Open Dashboard',
  'SDLC Lens: Open Board',
  'SDLC Lens: Set Status…',
  'SDLC Lens: Change Folder…',
  'SDLC Lens: Group by Type',
  'SDLC Lens: Group by Status',
  'SDLC Lens: Group by Epic',
  'SDLC Lens: Hide Finished Documents',
  'SDLC Lens: Show Finished Documents',
  "SDLC Lens: Show This Workspace's Projects",
  'SDLC Lens: Show All Projects',
];

interface Cmd {
  command: string;
  title: string;
  category?: string;
  icon?: string;
}
const commands: Cmd[] = pkg.contributes.commands;
const hidden = new Set<string>(
  (pkg.contributes.menus.commandPalette as { command: string; when?: string }[]).filter((m) => m.when === 'false').map((m) => m.command),
);

describe('extension manifest', () => {
  it('contributes exactly the commands the code registers', () => {
    const registered = registeredIds();
    assert.equal(new Set(registered).size, registered.length, 'a command is registered twice');
    assert.deepEqual([...registered].sort(), commands.map((c) => c.command).sort());
  });

  it('gives every command the "SDLC Lens" category and a unique title', () => {
    for (const c of commands) assert.equal(c.category, 'SDLC Lens', c.command);
    const titles = commands.map((c) => `${c.category}: ${c.title}`);
    assert.equal(new Set(titles).size, titles.length);
  });

  it('shows exactly the specified titles in the Command Palette', () => {
    const palette = commands.filter((c) => !hidden.has(c.command)).map((c) => `${c.category}: ${c.title}`);
    assert.deepEqual([...palette].sort(), [...PALETTE_TITLES].sort());
  });

  it('offers commands only where they apply (context keys)', () => {
    const when = (id: string) => (pkg.contributes.menus.commandPalette as { command: string; when?: string }[]).find((m) => m.command === id)?.when;
    assert.equal(when('sdlcLens.cancelSync'), 'sdlcLens.syncing');
    assert.equal(when('sdlcLens.stopApiServer'), 'sdlcLens.apiRunning');
    assert.equal(when('sdlcLens.copyApiUrl'), 'sdlcLens.apiRunning');
    assert.equal(when('sdlcLens.startApiServer'), 'isWorkspaceTrusted && !sdlcLens.apiRunning');
    const title = pkg.contributes.menus['view/title'] as { command: string; when: string }[];
    const start = title.find((m) => m.command === 'sdlcLens.startApiServer')!.when;
    const stop = title.find((m) => m.command === 'sdlcLens.stopApiServer')!.when;
    assert.match(start, /!sdlcLens\.apiRunning/);
    assert.match(stop, /(^|&& )sdlcLens\.apiRunning/, 'Start and Stop are never shown together');
    const src = fs.readFileSync(path.join(root, 'src/extension/contextKeys.ts'), 'utf8');
    for (const key of ['sdlcLens.syncing', 'sdlcLens.apiRunning', 'sdlcLens.groupBy', 'sdlcLens.hideFinished', 'sdlcLens.scope']) {
      assert.ok(src.includes(`'${key}'`), `${key} is set by contextKeys.ts`);
    }
  });

  it('gives Sync All and Refresh different icons; the welcome view has no literal backticks', () => {
    const icon = (id: string) => commands.find((c) => c.command === id)?.icon;
    assert.notEqual(icon('sdlcLens.syncAll'), icon('sdlcLens.refresh'));
    assert.notEqual(icon('sdlcLens.syncAll'), icon('sdlcLens.syncProject'));
    assert.doesNotMatch(pkg.contributes.viewsWelcome[0].contents, /`/);
  });

  it('has settings a user understands: no "as the original does", the token a User setting', () => {
    const props = SETTINGS as Record<string, { scope: string; markdownDescription: string }>;
    // VS Code labels a setting by its key minus its section's id: `sdlcLens.api.enabled` in the
    // section `sdlcLens.api` reads "Enabled" under "API", not "Sdlc Lens › Api: Enabled".
    for (const s of SETTING_SECTIONS) {
      assert.match(s.id, /^sdlcLens\./, s.title);
      for (const key of Object.keys(s.properties)) {
        const category = key.slice(0, key.lastIndexOf('.'));
        assert.ok(category === 'sdlcLens' || category === s.id, `${key} sits in a section (${s.id}) that trims its prefix`);
      }
    }
    assert.deepEqual(SETTING_SECTIONS.map((s) => s.title).sort(), ['API', 'Health', 'Skill', 'Sync']);
    assert.equal(props['sdlcLens.skill.python'].scope, 'machine', 'what runs is never set by a workspace');
    for (const [k, v] of Object.entries(props)) assert.doesNotMatch(v.markdownDescription, /the original/i, k);
    assert.equal(props['sdlcLens.api.token'].scope, 'application', 'shown under User, never settable by a workspace');
  });

  it('ships a walkthrough whose steps point at existing media and contributed or known commands', () => {
    const [w] = pkg.contributes.walkthroughs as { steps: { id: string; description: string; media: { markdown: string } }[] }[];
    assert.deepEqual(w.steps.map((s) => s.id), ['register', 'sync', 'search', 'health', 'dashboard']);
    const ids = new Set([...commands.map((c) => c.command), 'sdlcLens.projects.focus']);
    for (const s of w.steps) {
      assert.ok(fs.existsSync(path.join(root, s.media.markdown)), s.media.markdown);
      for (const m of s.description.matchAll(/\(command:([\w.]+)\)/g)) assert.ok(ids.has(m[1]), `${s.id}: ${m[1]}`);
    }
  });

  it('references only contributed commands in menus, and only existing views', () => {
    const ids = new Set(commands.map((c) => c.command));
    for (const [menu, items] of Object.entries(pkg.contributes.menus as Record<string, { command: string }[]>)) {
      for (const item of items) assert.ok(ids.has(item.command), `${menu}: ${item.command}`);
    }
    assert.equal(pkg.contributes.viewsContainers.activitybar[0].id, 'sdlcLens');
    assert.equal(pkg.contributes.viewsContainers.activitybar[0].title, 'SDLC Lens');
    assert.deepEqual(
      pkg.contributes.views.sdlcLens.map((v: { id: string; name: string }) => [v.id, v.name]),
      [
        ['sdlcLens.projects', 'Projects'],
        ['sdlcLens.related', 'Related'],
      ],
    );
    const welcome = pkg.contributes.viewsWelcome[0].contents as string;
    assert.match(welcome, /\(command:sdlcLens\.registerProject\)/);
    assert.match(welcome, /\(command:sdlcLens\.detectProjects\)/);
  });

  it('gives inline tree actions an icon', () => {
    const byId = new Map(commands.map((c) => [c.command, c]));
    for (const item of pkg.contributes.menus['view/item/context'] as { command: string; group?: string }[]) {
      if (item.group?.startsWith('inline')) assert.ok(byId.get(item.command)?.icon, item.command);
    }
  });

  it('activates lazily: workspaceContains sdlc-studio, never "*"', () => {
    const events: string[] = pkg.activationEvents;
    assert.ok(events.includes('workspaceContains:**/sdlc-studio'), JSON.stringify(events));
    assert.ok(!events.includes('*'));
    assert.ok(events.every((e) => !e.startsWith('onStartupFinished')));
  });

  it('declares the settings with their defaults and scopes', () => {
    const props = SETTINGS;
    assert.equal(props['sdlcLens.api.enabled'].default, false);
    assert.equal(props['sdlcLens.api.port'].default, 7878);
    assert.equal(props['sdlcLens.api.token'].default, '');
    assert.equal(props['sdlcLens.autoSync'].default, false);
    assert.equal(typeof props['sdlcLens.autoSyncDebounceMs'].default, 'number');
    for (const [k, v] of Object.entries(props as Record<string, { scope?: string; markdownDescription?: string }>)) {
      assert.ok(v.scope, `${k} has a scope`);
      assert.ok(v.markdownDescription, `${k} has a description`);
    }
  });

  it('declares trust and virtual-workspace capabilities with descriptions', () => {
    const caps = pkg.capabilities;
    assert.equal(caps.untrustedWorkspaces.supported, 'limited');
    assert.ok(caps.untrustedWorkspaces.description);
    assert.ok(caps.untrustedWorkspaces.restrictedConfigurations.includes('sdlcLens.api.enabled'));
    assert.equal(caps.virtualWorkspaces.supported, false);
    assert.ok(caps.virtualWorkspaces.description);
  });

  it('ships its icons', () => {
    const png = fs.readFileSync(path.join(root, pkg.icon));
    assert.equal(png.subarray(1, 4).toString('ascii'), 'PNG');
    assert.equal(png.readUInt32BE(16), 128);
    assert.equal(png.readUInt32BE(20), 128);
    assert.ok(fs.existsSync(path.join(root, pkg.contributes.viewsContainers.activitybar[0].icon)));
  });

  // That src/core never imports vscode is a lint rule (eslint.config.mjs; test/unit/lint/boundaries.test.ts).
  it('keeps the extension entry point', () => {
    assert.equal(pkg.main, './dist/extension.js');
  });
});
