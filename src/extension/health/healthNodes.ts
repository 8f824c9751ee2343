// The Health node under each project in the Projects tree: score, then the findings grouped by rule,
// then one row per affected document (click opens it). The tree (tree/projectsTree.ts) delegates
// these nodes here through `healthTree`; registerHealth attaches the model.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { HEALTH_CHECK_LABEL, ruleById, type Severity } from '../../core/health';
import { documentLabel } from '../tree/presentation';
import { displayId } from '../../core/parse/ids';
import type { SkillFinding } from '../../core/skill/checks';
import type { HealthModel, ProjectHealth } from './model';
import { placements } from './placement';
import { shownInTree, skillSummary, type SkillChecksModel, type SkillView } from './skillChecks';

export interface HealthRootNode {
  readonly kind: 'health';
  readonly id: string;
  readonly slug: string;
}

export interface HealthRuleNode {
  readonly kind: 'healthRule';
  readonly id: string;
  readonly slug: string;
  readonly ruleId: string;
}

export interface HealthFindingNode {
  readonly kind: 'healthFinding';
  readonly id: string;
  readonly slug: string;
  readonly ruleId: string;
  readonly label: string;
  readonly message: string;
  readonly absPath: string;
  readonly folder: boolean;
}

/** sdlc-studio's own checks under the Health node: the group, one node per script rule/kind, the findings. */
export interface HealthSkillNode {
  readonly kind: 'healthSkill';
  readonly id: string;
  readonly slug: string;
}

export interface HealthSkillCodeNode {
  readonly kind: 'healthSkillCode';
  readonly id: string;
  readonly slug: string;
  readonly check: string;
  readonly code: string;
}

export interface HealthSkillFindingNode {
  readonly kind: 'healthSkillFinding';
  readonly id: string;
  readonly slug: string;
  readonly check: string;
  readonly code: string;
  readonly finding: SkillFinding;
}

export type HealthNode = HealthRootNode | HealthRuleNode | HealthFindingNode | HealthSkillNode | HealthSkillCodeNode | HealthSkillFindingNode;

const KINDS = new Set(['health', 'healthRule', 'healthFinding', 'healthSkill', 'healthSkillCode', 'healthSkillFinding']);

/** Pure: the rule/kind groups of a skill report, in the scripts' order, with their finding rows. */
export function skillChildren(slug: string, view: SkillView): { code: HealthSkillCodeNode; findings: HealthSkillFindingNode[] }[] {
  const groups = new Map<string, { code: HealthSkillCodeNode; findings: HealthSkillFindingNode[] }>();
  (view.off ? [] : view.report?.findings ?? []).forEach((f, i) => {
    const key = `${f.check}/${f.code}`;
    let g = groups.get(key);
    if (!g) {
      g = { code: { kind: 'healthSkillCode', id: `health/${slug}/skill/${key}`, slug, check: f.check, code: f.code }, findings: [] };
      groups.set(key, g);
    }
    g.findings.push({ kind: 'healthSkillFinding', id: `health/${slug}/skill/${key}/${i}`, slug, check: f.check, code: f.code, finding: f });
  });
  return [...groups.values()];
}

export function isHealthNode(node: unknown): node is HealthNode {
  return !!node && typeof node === 'object' && KINDS.has((node as { kind?: string }).kind ?? '');
}

/** Score bands of health-check.md §5 with theme colours. */
export function scoreBand(score: number): { band: 'good' | 'warning' | 'poor'; icon: string; color: string } {
  if (score >= 80) return { band: 'good', icon: 'pass', color: 'testing.iconPassed' };
  if (score >= 50) return { band: 'warning', icon: 'warning', color: 'list.warningForeground' };
  return { band: 'poor', icon: 'error', color: 'list.errorForeground' };
}

const SEVERITY_ICON: Record<Severity, [string, string]> = {
  critical: ['error', 'list.errorForeground'],
  high: ['error', 'list.errorForeground'],
  medium: ['warning', 'list.warningForeground'],
  low: ['info', 'notificationsInfoIcon.foreground'],
};

/** Pure: the rule groups of a report, in rule order, with their finding rows. */
export function healthChildren(slug: string, h: ProjectHealth): { rule: HealthRuleNode; findings: HealthFindingNode[] }[] {
  const groups = new Map<string, HealthFindingNode[]>();
  placements(h.report, h.project.sdlc_path, h.projectFile).forEach((p, i) => {
    const list = groups.get(p.finding.rule_id) ?? [];
    const label = p.doc ? documentLabel(p.doc) : p.folder ? 'sdlc-studio folder' : path.basename(p.absPath);
    list.push({
      kind: 'healthFinding',
      id: `health/${slug}/${p.finding.rule_id}/${i}`,
      slug,
      ruleId: p.finding.rule_id,
      label,
      message: p.finding.message,
      absPath: p.absPath,
      folder: p.folder,
    });
    groups.set(p.finding.rule_id, list);
  });
  return [...groups].map(([ruleId, findings]) => ({ rule: { kind: 'healthRule', id: `health/${slug}/${ruleId}`, slug, ruleId }, findings }));
}

class HealthTreePart {
  private model: HealthModel | undefined;
  private skill: SkillChecksModel | undefined;

  attach(model: HealthModel | undefined, skill: SkillChecksModel | undefined): void {
    this.model = model;
    this.skill = skill;
  }

  /** The skill's view of a project, when there is something to show (the skill is installed or off). */
  private skillView(slug: string): SkillView | undefined {
    const v = this.skill?.get(slug);
    return shownInTree(v) ? v : undefined;
  }

  /** The Health node of a project (none until registerHealth attached the model). */
  roots(slug: string): HealthRootNode[] {
    return this.model ? [{ kind: 'health', id: `health/${slug}`, slug }] : [];
  }

  async children(node: HealthNode): Promise<HealthNode[]> {
    if (node.kind === 'healthSkill' || node.kind === 'healthSkillCode') {
      const v = this.skillView(node.slug);
      const groups = v ? skillChildren(node.slug, v) : [];
      if (node.kind === 'healthSkill') return groups.map((g) => g.code);
      return groups.find((g) => g.code.check === node.check && g.code.code === node.code)?.findings ?? [];
    }
    const h = await this.model?.get(node.slug);
    const skill: HealthNode[] = node.kind === 'health' && this.skillView(node.slug) ? [{ kind: 'healthSkill', id: `health/${node.slug}/skill`, slug: node.slug }] : [];
    if (!h || node.kind === 'healthFinding' || node.kind === 'healthSkillFinding') return skill;
    const groups = healthChildren(node.slug, h);
    if (node.kind === 'health') return [...groups.map((g) => g.rule), ...skill];
    return groups.find((g) => g.rule.ruleId === node.ruleId)?.findings ?? [];
  }

  parent(node: HealthNode): HealthNode | undefined {
    if (node.kind === 'health') return undefined; // the project node: the tree answers that
    if (node.kind === 'healthSkill') return { kind: 'health', id: `health/${node.slug}`, slug: node.slug };
    if (node.kind === 'healthSkillCode') return { kind: 'healthSkill', id: `health/${node.slug}/skill`, slug: node.slug };
    if (node.kind === 'healthSkillFinding') {
      const key = `${node.check}/${node.code}`;
      return { kind: 'healthSkillCode', id: `health/${node.slug}/skill/${key}`, slug: node.slug, check: node.check, code: node.code };
    }
    if (node.kind === 'healthRule') return { kind: 'health', id: `health/${node.slug}`, slug: node.slug };
    return { kind: 'healthRule', id: `health/${node.slug}/${node.ruleId}`, slug: node.slug, ruleId: node.ruleId };
  }

  async item(node: HealthNode): Promise<vscode.TreeItem> {
    if (node.kind === 'healthSkill' || node.kind === 'healthSkillCode' || node.kind === 'healthSkillFinding') return this.skillItem(node);
    const h = await this.model?.get(node.slug);
    switch (node.kind) {
      case 'health': {
        const expandable = !!h?.report.findings.length || !!this.skillView(node.slug);
        const item = new vscode.TreeItem('Health', expandable ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
        item.id = node.id;
        item.contextValue = 'health';
        if (h) {
          const b = scoreBand(h.report.score);
          const n = h.report.findings.length;
          item.description = `${h.report.score}/100 · ${n} finding${n === 1 ? '' : 's'}`;
          item.iconPath = new vscode.ThemeIcon(b.icon, new vscode.ThemeColor(b.color));
          const s = h.report.summary;
          item.tooltip = new vscode.MarkdownString(
            `**Health ${h.report.score}/100** (${b.band})\n\ncritical ${s.critical} · high ${s.high} · medium ${s.medium} · low ${s.low}` +
              `${h.disabledRules.length ? `\n\nDisabled rules: ${h.disabledRules.join(', ')}` : ''}\n\n_${HEALTH_CHECK_LABEL}_`,
          );
        } else {
          item.description = 'not available';
          item.iconPath = new vscode.ThemeIcon('pulse');
        }
        return item;
      }
      case 'healthRule': {
        const rule = ruleById(node.ruleId);
        const count = h ? healthChildren(node.slug, h).find((g) => g.rule.ruleId === node.ruleId)?.findings.length ?? 0 : 0;
        const item = new vscode.TreeItem(node.ruleId, vscode.TreeItemCollapsibleState.Collapsed);
        item.id = node.id;
        item.contextValue = 'healthRule';
        item.description = `${count} · ${rule?.severity ?? ''}${rule ? ` · ${rule.title}` : ''}`;
        const [icon, color] = SEVERITY_ICON[rule?.severity ?? 'low'];
        item.iconPath = new vscode.ThemeIcon(icon, new vscode.ThemeColor(color));
        if (rule) item.tooltip = new vscode.MarkdownString(`**${rule.id}** (${rule.severity}, ${rule.category})\n\n${rule.description}\n\nFix: ${rule.fix}`);
        return item;
      }
      case 'healthFinding': {
        const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.None);
        item.id = node.id;
        item.contextValue = 'healthFinding';
        item.description = node.message;
        item.tooltip = node.message;
        item.resourceUri = vscode.Uri.file(node.absPath);
        item.command = node.folder
          ? { command: 'revealInExplorer', title: 'Reveal', arguments: [vscode.Uri.file(node.absPath)] }
          : { command: 'vscode.open', title: 'Open', arguments: [vscode.Uri.file(node.absPath)] };
        return item;
      }
    }
  }

  /** Tree item of a skill node (the group, a rule/kind, a finding). */
  private skillItem(node: HealthSkillNode | HealthSkillCodeNode | HealthSkillFindingNode): vscode.TreeItem {
    const v = this.skillView(node.slug);
    switch (node.kind) {
      case 'healthSkill': {
        const n = v?.off ? 0 : (v?.report?.findings.length ?? 0);
        const item = new vscode.TreeItem('sdlc-studio', n ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
        item.id = node.id;
        item.contextValue = 'healthSkill';
        item.description = v ? skillSummary(v) : '';
        const r = v?.report;
        const quiet = !v || v.off || !r || r.state === 'failed' || r.state === 'no-folder';
        item.iconPath = new vscode.ThemeIcon(v?.running ? 'sync~spin' : quiet ? 'circle-slash' : 'checklist');
        const lines = [`**sdlc-studio's own checks**${r?.skill?.version ? ` (skill ${r.skill.version})` : ''}`];
        if (r?.skill) lines.push(`Skill: \`${r.skill.dir}\` (${r.skill.source})`);
        for (const c of r?.checks ?? []) lines.push(`- ${c.script}: ${c.status === 'ok' ? `${c.findings} finding${c.findings === 1 ? '' : 's'} (exit ${c.exit_code}, ${c.duration_ms} ms)` : `${c.status}: ${c.error ?? ''}`}`);
        if (v?.off) lines.push(v.off);
        if (r) lines.push(`_Checked ${new Date(r.checked_at).toLocaleString()}_`);
        const tip = new vscode.MarkdownString(lines.join('\n\n'));
        tip.isTrusted = false;
        item.tooltip = tip;
        return item;
      }
      case 'healthSkillCode': {
        const group = v ? skillChildren(node.slug, v).find((g) => g.code.check === node.check && g.code.code === node.code) : undefined;
        const findings = group?.findings ?? [];
        const item = new vscode.TreeItem(node.code, vscode.TreeItemCollapsibleState.Collapsed);
        item.id = node.id;
        item.contextValue = 'healthSkillCode';
        const sev = findings[0]?.finding.severity ?? 'low';
        item.description = `${findings.length} · ${sev} · ${node.check}.py`;
        const [icon, color] = SEVERITY_ICON[sev];
        item.iconPath = new vscode.ThemeIcon(icon, new vscode.ThemeColor(color));
        return item;
      }
      case 'healthSkillFinding': {
        const f = node.finding;
        const label = f.doc_id ? `${displayId(f.doc_id)}${f.title ? ` · ${f.title}` : ''}` : f.folder ? `${f.file_path || 'sdlc-studio folder'}` : f.file_path;
        const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.None);
        item.id = node.id;
        item.contextValue = 'healthSkillFinding';
        item.description = f.message;
        item.tooltip = `${f.message}\n\n${f.check}.py · ${f.code} · ${f.skill_severity ?? f.severity}`;
        const uri = vscode.Uri.file(f.abs_path);
        item.resourceUri = uri;
        item.command = f.folder
          ? { command: 'revealInExplorer', title: 'Reveal', arguments: [uri] }
          : { command: 'vscode.open', title: 'Open', arguments: [uri, { selection: new vscode.Range(f.line, f.start, f.line, f.end) }] };
        return item;
      }
    }
  }
}

/** The one instance the Projects tree delegates to. */
export const healthTree = new HealthTreePart();
