// The Health node under each project in the Projects tree: score, then the findings grouped by rule,
// then one row per affected document (click opens it). The tree (tree/projectsTree.ts) delegates
// these nodes here through `healthTree`; registerHealth attaches the model.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { HEALTH_CHECK_LABEL, ruleById, type Severity } from '../../core/health';
import { documentLabel } from '../tree/presentation';
import type { HealthModel, ProjectHealth } from './model';
import { placements } from './placement';

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

export type HealthNode = HealthRootNode | HealthRuleNode | HealthFindingNode;

const KINDS = new Set(['health', 'healthRule', 'healthFinding']);

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

  attach(model: HealthModel | undefined): void {
    this.model = model;
  }

  /** The Health node of a project (none until registerHealth attached the model). */
  roots(slug: string): HealthRootNode[] {
    return this.model ? [{ kind: 'health', id: `health/${slug}`, slug }] : [];
  }

  async children(node: HealthNode): Promise<HealthNode[]> {
    const h = await this.model?.get(node.slug);
    if (!h || node.kind === 'healthFinding') return [];
    const groups = healthChildren(node.slug, h);
    if (node.kind === 'health') return groups.map((g) => g.rule);
    return groups.find((g) => g.rule.ruleId === node.ruleId)?.findings ?? [];
  }

  parent(node: HealthNode): HealthNode | undefined {
    if (node.kind === 'health') return undefined; // the project node: the tree answers that
    if (node.kind === 'healthRule') return { kind: 'health', id: `health/${node.slug}`, slug: node.slug };
    return { kind: 'healthRule', id: `health/${node.slug}/${node.ruleId}`, slug: node.slug, ruleId: node.ruleId };
  }

  async item(node: HealthNode): Promise<vscode.TreeItem> {
    const h = await this.model?.get(node.slug);
    switch (node.kind) {
      case 'health': {
        const item = new vscode.TreeItem('Health', h?.report.findings.length ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
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
}

/** The one instance the Projects tree delegates to. */
export const healthTree = new HealthTreePart();
