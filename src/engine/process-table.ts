// The active groups and their processes, with supervisor's name resolution and orderings (spec §3.8, §4.5).
import type { GroupSpec } from '../model/config.js';
import type { ManagedProcess } from './managed-process.js';

/** One active group: its applied spec and its live processes. */
export interface ActiveGroup {
  spec: GroupSpec;
  /** In the group's start order. */
  readonly processes: Map<string, ManagedProcess>;
}

/** `group:proc` -> [group, proc]; `group:*` and `group:` -> [group, null]; `name` -> [name, name]. */
export function splitNamespec(namespec: string): [string, string | null] {
  const i = namespec.indexOf(':');
  if (i < 0) return [namespec, namespec];
  const process = namespec.slice(i + 1);
  return [namespec.slice(0, i), process === '' || process === '*' ? null : process];
}

/** `proc` when the group has the process's name, else `group:proc`. */
export function makeNamespec(group: string, process: string): string {
  return group === process ? process : `${group}:${process}`;
}

/** The active groups by name, in activation order: namespec lookup and the orders supervisor walks them in. */
export class ProcessTable {
  /** Insertion order matters: groups of equal priority keep it (spec §3.8). */
  readonly groups = new Map<string, ActiveGroup>();

  /** The group and, unless the namespec names a whole group, the process; undefined when unknown. */
  resolve(namespec: string): { group: ActiveGroup; process: ManagedProcess | null } | undefined {
    const [groupName, processName] = splitNamespec(namespec);
    const group = this.groups.get(groupName);
    if (!group) return undefined;
    if (processName === null) return { group, process: null };
    const process = group.processes.get(processName);
    return process ? { group, process } : undefined;
  }

  /** Groups by ascending priority, stable on insertion order. */
  groupsByPriority(): ActiveGroup[] {
    return [...this.groups.values()].sort((a, b) => a.spec.priority - b.spec.priority);
  }

  /** A group's processes by ascending priority, stable on the group's order. */
  static processesByPriority(group: ActiveGroup): ManagedProcess[] {
    return [...group.processes.values()].sort((a, b) => a.spec.priority - b.spec.priority);
  }

  /** Every process, ascending (group priority, process priority): the order of the "all" RPC operations. */
  allByPriority(): ManagedProcess[] {
    return this.groupsByPriority().flatMap((g) => ProcessTable.processesByPriority(g));
  }

  /** Every process sorted by group name then process name (getAllProcessInfo). */
  allLexical(): ManagedProcess[] {
    const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
    return [...this.groups.keys()].sort(byName).flatMap((g) => {
      const group = this.groups.get(g);
      return group
        ? [...group.processes.keys()].sort(byName).flatMap((p) => group.processes.get(p) ?? [])
        : [];
    });
  }
}
