// Pure: the plan as people read it (`svd diff`, `svd apply`) and as machines read it (`--json`).
import { STOPPED_STATES } from '../model/states.js';
import type { FieldChange } from './field-diff.js';
import { isEmptyPlan, stepTarget, type GroupChange, type Plan, type ProcessChange } from './plan-types.js';

const symbol = {
  add: '+',
  remove: '-',
  change: '~',
  restart: '~',
  'update-in-place': '~',
  unchanged: '=',
} as const;

/**
 * Terraform-style text: `+` add, `-` remove, `~` change (each field old -> new, marked restart or in place),
 * `=` unchanged counts, then the summary line. Ends with a newline.
 */
export function renderPlan(plan: Plan): string {
  const lines: string[] = [];
  const unchanged = plan.groups.filter((g) => g.action === 'unchanged');
  for (const g of plan.groups) if (g.action !== 'unchanged') lines.push(...renderGroup(g), '');
  if (unchanged.length > 0) {
    const n = unchanged.reduce((sum, g) => sum + g.processes.length, 0);
    lines.push(`= ${plural(unchanged.length, 'group')} unchanged (${plural(n, 'process', 'processes')})`, '');
  }
  lines.push(summaryLine(plan));
  return `${lines.join('\n')}\n`;
}

/** `Plan: 2 to add, 1 to restart, 3 to update in place, 1 to remove.` or the no-changes sentence. */
export function summaryLine(plan: Plan): string {
  if (isEmptyPlan(plan)) return 'No changes. The running processes match the configuration.';
  const c = plan.counts;
  const inPlace = c.updateInPlace + c.groups.updateInPlace;
  return `Plan: ${c.add} to add, ${c.restart} to restart, ${inPlace} to update in place, ${c.remove} to remove.`;
}

function renderGroup(g: GroupChange): string[] {
  const notes = [g.kind, ...(g.rebuild ? ['rebuilt: its kind, pool or socket changed'] : [])];
  const out = [`${symbol[g.action]} group ${g.name} (${notes.join('; ')})`];
  out.push(...renderFields(g.fields, '    '));
  const same = g.processes.filter((p) => p.action === 'unchanged').length;
  for (const p of g.processes) {
    if (p.action === 'unchanged') continue;
    out.push(`    ${symbol[p.action]} ${p.namespec}: ${describeProcess(p)}`);
    out.push(...renderFields(p.fields, '        '));
  }
  if (same > 0 && g.action === 'change') out.push(`    = ${same} unchanged`);
  return out;
}

function describeProcess(p: ProcessChange): string {
  const now = p.state === null ? '' : p.pid > 0 ? `${p.state}, pid ${p.pid}` : p.state;
  switch (p.action) {
    case 'add':
      return p.runsAfter ? 'add, then start' : 'add, stays stopped (autostart=false)';
    case 'remove':
      return p.state !== null && !STOPPED_STATES.has(p.state)
        ? `stop (${now}), then remove`
        : `remove (${now})`;
    case 'restart': {
      if (p.reason === 'was-down') return `start with the new spec (${now}: down, not stopped by hand)`;
      const why =
        p.reason === 'group-settings'
          ? '; its group is rebuilt'
          : p.reason === 'group-restart'
            ? '; whole-group restart requested'
            : '';
      return `restart (${now}${why})`;
    }
    case 'update-in-place':
      if (p.reason === 'not-running')
        return `update in place (${now}: not running, takes effect at its next start)`;
      if (p.reason === 'group-settings')
        return `update in place (${now}: its group is rebuilt, stays stopped)`;
      return `update in place (${now})`;
    case 'unchanged':
      return `unchanged (${now})`;
  }
}

function renderFields(fields: readonly FieldChange<string>[], indent: string): string[] {
  const texts = fields.map((f) => `${f.field}: ${show(f.old)} -> ${show(f.new)}`);
  const width = Math.max(0, ...texts.map((t) => t.length));
  return fields.map(
    (f, i) =>
      `${indent}${(texts[i] ?? '').padEnd(width)}  (${f.class === 'restart' ? 'restart' : 'in place'})`,
  );
}

function show(value: unknown): string {
  return value === undefined ? 'null' : JSON.stringify(value);
}

/** `1 group`, `2 groups`: a count with its noun. */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** The machine form of a plan (`--json`): stable snake_case keys, every value JSON-safe. */
export interface PlanJson {
  readonly format_version: '1';
  readonly changes: boolean;
  readonly summary: {
    readonly add: number;
    readonly restart: number;
    readonly update_in_place: number;
    readonly remove: number;
    readonly unchanged: number;
    readonly groups: {
      readonly add: number;
      readonly remove: number;
      readonly change: number;
      readonly unchanged: number;
      readonly update_in_place: number;
    };
  };
  readonly groups: readonly {
    readonly name: string;
    readonly kind: string;
    readonly action: string;
    readonly rebuild: boolean;
    readonly fields: readonly JsonField[];
    readonly processes: readonly {
      readonly namespec: string;
      readonly group: string;
      readonly name: string;
      readonly action: string;
      readonly reason: string;
      readonly state: string | null;
      readonly pid: number;
      readonly runs_after: boolean;
      readonly fields: readonly JsonField[];
    }[];
  }[];
  readonly steps: readonly { readonly wave: number; readonly op: string; readonly target: string }[];
}

interface JsonField {
  readonly field: string;
  readonly old: unknown;
  readonly new: unknown;
  readonly class: string;
}

/**
 * The `--json` form of a plan (format_version 1); an undefined field value becomes null. The same object
 * backs `svd diff --json`, svd.plan/svd.apply and the web page's plan.
 */
export function planToJson(plan: Plan): PlanJson {
  const c = plan.counts;
  const fields = (fs: readonly FieldChange<string>[]): JsonField[] =>
    fs.map((f) => ({ field: f.field, old: f.old ?? null, new: f.new ?? null, class: f.class }));
  return {
    format_version: '1',
    changes: !isEmptyPlan(plan),
    summary: {
      add: c.add,
      restart: c.restart,
      update_in_place: c.updateInPlace,
      remove: c.remove,
      unchanged: c.unchanged,
      groups: {
        add: c.groups.add,
        remove: c.groups.remove,
        change: c.groups.change,
        unchanged: c.groups.unchanged,
        update_in_place: c.groups.updateInPlace,
      },
    },
    groups: plan.groups.map((g) => ({
      name: g.name,
      kind: g.kind,
      action: g.action,
      rebuild: g.rebuild,
      fields: fields(g.fields),
      processes: g.processes.map((p) => ({
        namespec: p.namespec,
        group: p.group,
        name: p.name,
        action: p.action,
        reason: p.reason,
        state: p.state,
        pid: p.pid,
        runs_after: p.runsAfter,
        fields: fields(p.fields),
      })),
    })),
    steps: plan.steps.map((s) => ({ wave: s.wave, op: s.op, target: stepTarget(s) })),
  };
}
