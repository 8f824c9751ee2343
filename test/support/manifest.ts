// The extension manifest as tests read it: package.json, and its settings merged across the
// titled sections of contributes.configuration (API, Sync, Health).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO_ROOT } from './corpora';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const PKG: any = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));

export interface SettingSection {
  id: string;
  title: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  properties: Record<string, any>;
}

export const SETTING_SECTIONS: SettingSection[] = [PKG.contributes.configuration].flat();

/** Every contributed setting by key, whichever section declares it. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const SETTINGS: Record<string, any> = Object.assign({}, ...SETTING_SECTIONS.map((s) => s.properties));
