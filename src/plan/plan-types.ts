// Pure: the plan value that `svd diff` renders and `svd apply` executes. Imports model/ and plan/ only.
import type { GroupKind, GroupSpec, ProcessSpec } from '../model/config.js';
import type { ProcessStateName } from '../model/states.js';
import type { FieldChange, GroupFieldChange } from './field-diff.js';

/** What applying the plan does to one process; `update-in-place` swaps the spec, leaving the child alone. */
export type ProcessAction = 'add' | 'remove' | 'restart' | 'update-in-place' | 'unchanged';
/** What applying the plan does to one group; `change` when any of its settings or processes differ. */
export type GroupAction = 'add' | 'remove' | 'change' | 'unchanged';

/**
 * Why a process gets its action. For people only (Terraform's ActionReason): the executor never reads it.
 * - `new`, `gone`: the process appears in or disappears from the configuration.
 * - `fields`: its own fields changed (a restart when a restart-class field changed while it runs).
 * - `not-running`: a restart-class field changed but it is not running: the spec is swapped, it stays stopped.
 * - `was-down`: it changed while down after a failure or its own exit (EXITED, FATAL), or while never started
 *   with autostart off that now turns on: it starts with the new spec, as supervisor's update starts it.
 * - `group-settings`: its group's kind, pool or socket changed, so the group is rebuilt.
 * - `group-restart`: `restartGroups` asked for supervisor's whole-group restart of its changed group.
 * - `same`: nothing differs.
 */
export type ProcessReason =
  'new' | 'gone' | 'fields' | 'not-running' | 'was-down' | 'group-settings' | 'group-restart' | 'same';

/** One process of either side and what happens to it, for rendering; the executor reads only `Plan.steps`. */
export interface ProcessChange {
  readonly group: string;
  readonly name: string;
  /** `name` when group and process share it, else `group:name`. */
  readonly namespec: string;
  readonly action: ProcessAction;
  readonly reason: ProcessReason;
  /** What differs between the applied and the desired spec (empty for add and remove). */
  readonly fields: readonly FieldChange[];
  /** The state now; null for a process being added. */
  readonly state: ProcessStateName | null;
  /** The pid now, 0 when none. */
  readonly pid: number;
  /** Whether it runs once the plan is applied (running now, or added with autostart). */
  readonly runsAfter: boolean;
}

/** One group of either side and what happens to it and its processes. */
export interface GroupChange {
  readonly name: string;
  /** The desired kind, or the applied one for a group being removed. */
  readonly kind: GroupKind;
  readonly action: GroupAction;
  /** The group is removed and added again, because its kind, pool or socket changed. */
  readonly rebuild: boolean;
  readonly fields: readonly GroupFieldChange[];
  /** Desired processes in the group's order, then the ones being removed. */
  readonly processes: readonly ProcessChange[];
}

/**
 * One engine operation. Steps of the same `wave` are independent and may run concurrently; waves run in
 * ascending order. `stop` and `start` wait for the process to settle.
 */
export type Step =
  | { readonly op: 'stop'; readonly wave: number; readonly group: string; readonly name: string }
  | { readonly op: 'remove-process'; readonly wave: number; readonly group: string; readonly name: string }
  | { readonly op: 'remove-group'; readonly wave: number; readonly group: string }
  | {
      readonly op: 'set-group-priority';
      readonly wave: number;
      readonly group: string;
      readonly priority: number;
    }
  | { readonly op: 'update-process'; readonly wave: number; readonly spec: ProcessSpec }
  | { readonly op: 'add-group'; readonly wave: number; readonly spec: GroupSpec }
  | { readonly op: 'add-process'; readonly wave: number; readonly spec: ProcessSpec }
  | { readonly op: 'start'; readonly wave: number; readonly group: string; readonly name: string };

/** The totals `svd diff` summarises and `--json` reports. */
export interface PlanCounts {
  /** Processes by action. */
  readonly add: number;
  readonly restart: number;
  readonly updateInPlace: number;
  readonly remove: number;
  readonly unchanged: number;
  /** Groups by action, and groups whose own settings change in place (priority). */
  readonly groups: Readonly<Record<GroupAction, number>> & { readonly updateInPlace: number };
}

/** The reconciler's whole decision: `svd diff` renders it, `svd apply` executes its steps. */
export interface Plan {
  /** Every group of either side, by name. */
  readonly groups: readonly GroupChange[];
  /** What the executor does, in order: stops, removals, spec swaps, additions and starts. */
  readonly steps: readonly Step[];
  readonly counts: PlanCounts;
}

/** True when applying the plan would do nothing. */
export function isEmptyPlan(plan: Plan): boolean {
  return plan.steps.length === 0;
}

/** The process or group a step acts on, as a namespec (`group:*` for group steps). */
export function stepTarget(step: Step): string {
  switch (step.op) {
    case 'stop':
    case 'start':
    case 'remove-process':
      return step.group === step.name ? step.name : `${step.group}:${step.name}`;
    case 'update-process':
    case 'add-process':
      return step.spec.group === step.spec.name ? step.spec.name : `${step.spec.group}:${step.spec.name}`;
    case 'remove-group':
    case 'set-group-priority':
      return `${step.group}:*`;
    case 'add-group':
      return `${step.spec.name}:*`;
  }
}
