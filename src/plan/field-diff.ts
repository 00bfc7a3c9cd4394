// Pure: field-level differences between an applied spec and a desired one, each with its reload class.
import type { GroupSpec, ProcessSpec } from '../model/config.js';
import {
  groupReloadClass,
  processMetaReloadClass,
  programFields,
  reloadClass,
  type GroupField,
  type ProcessDiffField,
  type ReloadClass,
} from './reload-class.js';
import type { ActualGroup } from './reconcile-state.js';

/** One difference: the field, its applied and desired values, and whether it needs a restart. */
export interface FieldChange<F extends string = ProcessDiffField> {
  readonly field: F;
  readonly old: unknown;
  readonly new: unknown;
  readonly class: ReloadClass;
}

export type GroupFieldChange = FieldChange<GroupField>;

/** Structural equality of option values: arrays in order, objects whatever their key order. */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => sameValue(x, b[i]));
  }
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  const rb = b as Record<string, unknown>;
  const ra = a as Record<string, unknown>;
  return ka.every((k) => Object.prototype.hasOwnProperty.call(rb, k) && sameValue(ra[k], rb[k]));
}

const metaFields = Object.keys(processMetaReloadClass) as (keyof typeof processMetaReloadClass)[];

/**
 * Every option that differs between two specs of the same process, in the table's order. Where a value came
 * from (`source`) is not compared: moving a section in its file changes nothing that runs.
 */
export function diffProcess(applied: ProcessSpec, desired: ProcessSpec): FieldChange[] {
  const out: FieldChange[] = [];
  for (const field of programFields) {
    if (!sameValue(applied[field], desired[field]))
      out.push({ field, old: applied[field], new: desired[field], class: reloadClass[field] });
  }
  for (const field of metaFields) {
    if (applied[field] !== desired[field])
      out.push({ field, old: applied[field], new: desired[field], class: processMetaReloadClass[field] });
  }
  return out;
}

type GroupSettings = Omit<GroupSpec, 'processes' | 'name' | 'source'>;

function groupValue(g: GroupSettings, field: GroupField): unknown {
  switch (field) {
    case 'kind':
      return g.kind;
    case 'priority':
      return g.priority;
    case 'events':
    case 'buffer_size':
    case 'result_handler':
      return g.eventlistener?.[field] ?? null;
    case 'socket':
    case 'socket_backlog':
    case 'socket_owner':
    case 'socket_mode':
      return g.fcgi?.[field] ?? null;
  }
}

const groupFields = Object.keys(groupReloadClass) as GroupField[];

/** Group-level differences: kind, priority, pool and socket settings. */
export function diffGroup(applied: ActualGroup, desired: GroupSpec): GroupFieldChange[] {
  const out: GroupFieldChange[] = [];
  for (const field of groupFields) {
    const old = groupValue(applied, field);
    const now = groupValue(desired, field);
    if (!sameValue(old, now)) out.push({ field, old, new: now, class: groupReloadClass[field] });
  }
  return out;
}
