// Test-side bookkeeping of real children: every process group a test spawned, so after-hooks can kill what is
// left and tests can assert that nothing (child, grandchild, zombie) was leaked.
import { readdirSync, readFileSync } from 'node:fs';
import type { Spawner } from '../../src/ports/spawner.js';

/**
 * Each remembered group with its leader's start time (null when it was gone already). pid_max is often 32768: a
 * group's number, once every member is gone, is soon another process's, and a SIGKILL to it then killed a
 * process of another test running alongside (a supervisord, whose children were left behind).
 */
const groups = new Map<number, string | null>();

/** A process's start time (clock ticks since boot, /proc/<pid>/stat field 22), or null when it is gone. */
function startTime(pid: number): string | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return text.slice(text.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

/** Wraps a spawner so every child's process group is remembered (children lead their own group). */
export function tracked(spawner: Spawner): Spawner {
  return {
    check: (spec) => spawner.check(spec),
    spawn(spec, handlers) {
      const outcome = spawner.spawn(spec, handlers);
      if (outcome.ok) trackGroup(outcome.child.pid);
      return outcome;
    },
  };
}

export function trackGroup(pgid: number): void {
  // A number seen again is a new group of ours: the old one had no member left, or it could not be reused.
  groups.set(pgid, startTime(pgid));
}

/**
 * SIGKILLs every remembered process group that is still ours, and every descendant of their members with its own
 * group: a daemon a failed test leaves running has its children in groups of their own, which would outlive it.
 * Skipped when a process with the leader's number runs that started at another time (the number was reused).
 * While any member of a group is left, its number is not given to a new process, so a group whose leader is gone
 * is still ours. Safe to call twice.
 */
export function killAllSpawned(): void {
  const ours = [...groups.keys()].filter((pg) => !reused(pg));
  groups.clear();
  const all = allProcesses();
  const members = all.filter((p) => ours.includes(p.pgrp)).map((p) => p.pid);
  const under = descendantsOf(all, members);
  const own = new Set([process.pid, ownGroup(all)]);
  const targets = new Set([...ours, ...under.map((p) => p.pgrp)].filter((pg) => !own.has(pg)));
  for (const pg of targets) {
    try {
      process.kill(-pg, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
  for (const p of under) {
    if (own.has(p.pid)) continue;
    try {
      process.kill(p.pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
}

/** The processes below `roots` (by ppid), at any depth. */
function descendantsOf(all: readonly ProcStat[], roots: readonly number[]): ProcStat[] {
  const out: ProcStat[] = [];
  const seen = new Set(roots);
  for (let i = 0, frontier = [...roots]; i < frontier.length; i++) {
    for (const p of all) {
      if (p.ppid !== frontier[i] || seen.has(p.pid)) continue;
      seen.add(p.pid);
      out.push(p);
      frontier.push(p.pid);
    }
  }
  return out;
}

/** The test process's own group, never a target. */
function ownGroup(all: readonly ProcStat[]): number {
  return all.find((p) => p.pid === process.pid)?.pgrp ?? process.pid;
}

export interface ProcStat {
  readonly pid: number;
  readonly state: string;
  readonly ppid: number;
  readonly pgrp: number;
}

/** Every process on the machine, from /proc/<pid>/stat. */
export function allProcesses(): ProcStat[] {
  const out: ProcStat[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // The command name is in parentheses and may contain spaces: fields start after the last ')'.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.push({
        pid: Number(name),
        state: fields[0] ?? '?',
        ppid: Number(fields[1]),
        pgrp: Number(fields[2]),
      });
    } catch {
      // Exited while listing.
    }
  }
  return out;
}

/** Whether a remembered group's number now belongs to another process (its leader started at another time). */
function reused(pg: number): boolean {
  const now = startTime(pg);
  return groups.has(pg) && now !== null && now !== groups.get(pg);
}

/** Live processes in any of the remembered groups still ours (or in `pgids`), zombies included. */
export function leftovers(pgids: Iterable<number> = groups.keys()): ProcStat[] {
  const set = new Set([...pgids].filter((pg) => !reused(pg)));
  return allProcesses().filter((p) => set.has(p.pgrp));
}

/** Zombie children of this process. */
export function zombieChildren(): ProcStat[] {
  return allProcesses().filter((p) => p.ppid === process.pid && p.state === 'Z');
}

export function rememberedGroups(): number[] {
  return [...groups.keys()];
}

/** Polls `check` until it is true or `ms` passes; never a fixed sleep. */
export async function eventually(check: () => boolean, ms = 10_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
