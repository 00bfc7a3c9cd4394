// Effect (reads /proc, sends signals): what the bench knows about processes. Every process a bench run
// starts carries SVD_BENCH_RUN=<id> in its environment (daemons, their children, floors), so leftovers are
// found by that mark and nothing else is ever touched.
import { readdirSync, readFileSync } from 'node:fs';

export const MARK = 'SVD_BENCH_RUN';

const TICKS_PER_SECOND = 100;

/**
 * CPU time of a process's live threads in seconds, from /proc/<pid>/task/<tid>/schedstat (nanoseconds:
 * utime+stime in /proc/<pid>/stat counts 10 ms ticks, too coarse for an idle daemon). Falls back to
 * utime+stime when schedstat is missing; null when the process is gone.
 */
export function cpuSeconds(pid) {
  try {
    let ns = 0;
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      ns += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
    }
    return ns / 1e9;
  } catch {
    const f = statFields(pid);
    if (!f) return null;
    // Fields 14 and 15 of /proc/<pid>/stat; f starts at field 3 (state).
    return (Number(f[11]) + Number(f[12])) / TICKS_PER_SECOND;
  }
}

/** Resident set size in KiB (VmRSS), or null when the process is gone. */
export function rssKb(pid) {
  try {
    const m = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

/** Fields of /proc/<pid>/stat from the state on (the name may hold spaces and parentheses). */
function statFields(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}

/** Pids whose environment holds MARK=<runId>, except this process. */
export function markedPids(runId) {
  const needle = Buffer.from(`${MARK}=${runId}\0`);
  const out = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    try {
      const env = readFileSync(`/proc/${name}/environ`);
      if (env.includes(needle)) out.push(Number(name));
    } catch {
      // gone, or a kernel thread
    }
  }
  return out;
}

/** Live (non-zombie) marked processes. */
export function liveMarkedPids(runId) {
  return markedPids(runId).filter((pid) => {
    const f = statFields(pid);
    return f !== null && f[0] !== 'Z';
  });
}

/**
 * SIGKILLs every marked process and its process group (children lead their own); returns how many were
 * found. The bench's own group is never signalled: daemons and floors are started inside it.
 */
export function killMarked(runId) {
  const pids = markedPids(runId);
  const ownGroup = Number(statFields(process.pid)?.[2] ?? -1);
  for (const pid of pids) {
    const f = statFields(pid);
    const pgrp = f ? Number(f[2]) : 0;
    for (const target of pgrp > 1 && pgrp !== ownGroup ? [-pgrp, pid] : [pid]) {
      try {
        process.kill(target, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }
  return pids.length;
}

/** Pids of the direct children of `ppid`. */
export function childPids(ppid) {
  const out = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const f = statFields(name);
    if (f && Number(f[1]) === ppid && f[0] !== 'Z') out.push(Number(name));
  }
  return out;
}
