// The manifest and the code agree: every contributed command is registered and vice versa,
// palette titles are exact, activation is lazy.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(__dirname, '../../..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));

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
    const props = pkg.contributes.configuration.properties;
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

  it('keeps the extension entry point and never imports vscode from src/core', () => {
    assert.equal(pkg.main, './dist/extension.js');
    for (const f of sourceFiles(path.join(root, 'src/core'))) {
      assert.doesNotMatch(fs.readFileSync(f, 'utf8'), /from ['"]vscode['"]|require\(['"]vscode['"]\)/, f);
    }
  });
});
