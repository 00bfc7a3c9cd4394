// Test-side bookkeeping of real children: every process group a test spawned, so after-hooks can kill what is
// left and tests can assert that nothing (child, grandchild, zombie) was leaked.
import { readdirSync, readFileSync } from 'node:fs';
import type { Spawner } from '../../src/ports/spawner.js';

const groups = new Set<number>();

/** Wraps a spawner so every child's process group is remembered (children lead their own group). */
export function tracked(spawner: Spawner): Spawner {
  return {
    check: (spec) => spawner.check(spec),
    spawn(spec, handlers) {
      const outcome = spawner.spawn(spec, handlers);
      if (outcome.ok) groups.add(outcome.child.pid);
      return outcome;
    },
  };
}

export function trackGroup(pgid: number): void {
  groups.add(pgid);
}

/** SIGKILLs every remembered process group. Safe to call twice. */
export function killAllSpawned(): void {
  for (const pg of groups) {
    try {
      process.kill(-pg, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
  groups.clear();
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

/** Live processes in any of the remembered groups (or in `pgids`), zombies included. */
export function leftovers(pgids: Iterable<number> = groups): ProcStat[] {
  const set = new Set(pgids);
  return allProcesses().filter((p) => set.has(p.pgrp));
}

/** Zombie children of this process. */
export function zombieChildren(): ProcStat[] {
  return allProcesses().filter((p) => p.ppid === process.pid && p.state === 'Z');
}

export function rememberedGroups(): number[] {
  return [...groups];
}

/** Polls `check` until it is true or `ms` passes; never a fixed sleep. */
export async function eventually(check: () => boolean, ms = 10_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
