// Effect (reads /proc): what the soak run samples about the daemon and its process tree.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { MARK } from './procfs.mjs';

/** VmRSS, RssAnon (KiB) and Threads from /proc/<pid>/status; null when the process is gone. */
export function statusOf(pid) {
  let text;
  try {
    text = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return null;
  }
  const field = (name) => Number(new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(text)?.[1] ?? NaN);
  return { rssKb: field('VmRSS'), anonKb: field('RssAnon'), threads: field('Threads') };
}

/** How many fds the process holds; null when it is gone. */
export function fdCount(pid) {
  try {
    return readdirSync(`/proc/${pid}/fd`).length;
  } catch {
    return null;
  }
}

/** Size of a file in bytes, 0 when missing. */
export function fileSize(path) {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

/**
 * One pass over /proc: every process as {pid, ppid, state, marked}. `marked` reads the environment only for
 * processes that are not kernel threads; the mark of the run is `MARK=runId`.
 */
export function processTable(runId) {
  const needle = Buffer.from(`${MARK}=${runId}\0`);
  const rows = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    let stat;
    try {
      stat = readFileSync(`/proc/${name}/stat`, 'utf8');
    } catch {
      continue;
    }
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    let marked = false;
    try {
      marked = readFileSync(`/proc/${name}/environ`).includes(needle);
    } catch {
      // a kernel thread, or gone
    }
    rows.push({ pid: Number(name), ppid: Number(f[1]), state: f[0], marked });
  }
  return rows;
}

/**
 * The daemon's tree in one table: its direct children (live and zombie), and the marked processes that are
 * not below it (orphans: reparented elsewhere, alive).
 */
export function treeOf(table, daemonPid) {
  const byPid = new Map(table.map((r) => [r.pid, r]));
  const below = (r) => {
    for (let p = r.ppid, i = 0; p > 1 && i < 64; i++) {
      if (p === daemonPid) return true;
      p = byPid.get(p)?.ppid ?? 0;
    }
    return false;
  };
  const children = table.filter((r) => r.ppid === daemonPid);
  return {
    live: children.filter((r) => r.state !== 'Z').map((r) => r.pid),
    zombies: children.filter((r) => r.state === 'Z').map((r) => r.pid),
    orphans: table
      .filter((r) => r.marked && r.state !== 'Z' && r.pid !== daemonPid && !below(r))
      .map((r) => r.pid),
  };
}

/** {name, group, state, pid, start} of each struct in a getAllProcessInfo answer. */
export function processInfos(body) {
  const out = [];
  for (const struct of body.split('<struct>').slice(1)) {
    const member = (key) =>
      new RegExp(`<name>${key}</name>\\s*<value>\\s*(?:<[a-z0-9]+>)?([^<]*)`).exec(struct)?.[1];
    out.push({
      name: member('name'),
      group: member('group'),
      state: member('statename'),
      pid: Number(member('pid') ?? 0),
      start: Number(member('start') ?? 0),
    });
  }
  return out;
}

/** Least-squares slope of ys over xs, and r² (0 when there is nothing to fit). */
export function linearFit(xs, ys) {
  const n = xs.length;
  if (n < 3) return { slope: 0, r2: 0 };
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (xs[i] - mx) * (ys[i] - my);
    sxx += (xs[i] - mx) ** 2;
    syy += (ys[i] - my) ** 2;
  }
  if (sxx === 0) return { slope: 0, r2: 0 };
  return { slope: sxy / sxx, r2: syy === 0 ? 0 : (sxy * sxy) / (sxx * syy) };
}
