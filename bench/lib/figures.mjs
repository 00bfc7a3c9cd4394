// Pure: the figures the bench reports, their targets, and how raw session results become samples.
import { ratio, summarize } from './stats.mjs';

/**
 * Each figure: samples per system (svd, supervisor, floor), and targets as limits on ratios of medians:
 * vsSupervisor (svd/supervisor), vsFloor (svd/floor); `strict` means strictly below.
 */
export function figureDefinitions(sizes) {
  const defs = [
    {
      id: 'config-load',
      label: `config load, ${sizes.loadPrograms} programs in ${sizes.loadFiles} files (whole process)`,
      unit: 'ms',
      target: { vsSupervisor: 0.15 },
    },
    {
      id: 'plan-change',
      label: `plan of 1 changed program among ${sizes.loadPrograms} (in-process; floor: svd's in-process load of that config)`,
      unit: 'ms',
      target: { vsFloor: 0.1, restarts: 1 },
    },
  ];
  for (const n of sizes.cold)
    defs.push({
      id: `cold-${n}`,
      label: `cold start to all RUNNING, N=${n}`,
      unit: 'ms',
      target: { vsSupervisor: 0.3, vsFloor: 1.3 },
    });
  const N = sizes.main;
  defs.push(
    { id: `rss-0`, label: 'daemon RSS with no programs', unit: 'KiB', target: {} },
    { id: `rss-${N}`, label: `daemon RSS with N=${N} running`, unit: 'KiB', target: {} },
    {
      id: `rss-per-process`,
      label: `RSS per process ((RSS at ${N} - RSS at 0) / ${N})`,
      unit: 'KiB',
      target: { vsSupervisor: 1.0 },
    },
    {
      id: `idle-cpu-${N}`,
      label: `idle CPU with N=${N} at rest (CPU time per 10 s, from 30 s after all RUNNING)`,
      unit: 'ms',
      target: { vsSupervisor: 0.1 },
    },
    {
      id: `idle-cpu-start-${N}`,
      label: `idle CPU with N=${N} right after the start (CPU time per 10 s, from 2 s after all RUNNING)`,
      unit: 'ms',
      target: {},
    },
    {
      id: `status-rpc-${N}`,
      label: `getAllProcessInfo at N=${N} (per call, XML-RPC)`,
      unit: 'ms',
      target: { vsSupervisor: 0.05 },
    },
  );
  if (sizes.big)
    defs.push(
      {
        id: `status-rpc-${sizes.big}`,
        label: `getAllProcessInfo at N=${sizes.big} (per call, XML-RPC)`,
        unit: 'ms',
        target: {},
      },
      {
        id: `status-rpc-scaling`,
        label: `getAllProcessInfo time at ${sizes.big} / at ${N} (svd)`,
        unit: 'x',
        target: { max: 5 },
      },
    );
  defs.push(
    {
      id: `status-ctl-${N}`,
      label: `ctl status at N=${N} (whole process: svd ctl / supervisorctl)`,
      unit: 'ms',
      target: { vsSupervisor: 0.2 },
    },
    {
      id: `crash-${N}`,
      label: `crash to replacement RUNNING with N=${N} running`,
      unit: 'ms',
      target: { vsSupervisor: 1.0, strict: true, vsFloor: 1.5 },
    },
    {
      id: `burst-${N}`,
      label: `log burst of ${sizes.burstMb} MB with N=${N} running (floor: writer straight to a file)`,
      unit: 'ms',
      target: { vsFloor: 1.3, lostBytes: 0 },
    },
    {
      id: `apply-${N}`,
      label: `svd apply of 1 changed program among ${N} (supervisor: supervisorctl update)`,
      unit: 'ms',
      target: { pidsChanged: 1 },
    },
    { id: `stopall-${N}`, label: `stop all N=${N}`, unit: 'ms', target: { vsSupervisor: 0.5 } },
    { id: `stopall-kernel-${N}`, label: `stop all N=${N}${KERNEL}`, unit: 'ms', target: {} },
  );
  for (const n of sizes.shutdown)
    defs.push(
      {
        id: `shutdown-${n}`,
        label: `shutdown at N=${n}`,
        unit: 'ms',
        target: { vsSupervisor: 0.2 },
      },
      { id: `shutdown-kernel-${n}`, label: `shutdown at N=${n}${KERNEL}`, unit: 'ms', target: {} },
    );
  return defs;
}

/** The kernel rows: svd and supervisor as in the row above, the floor column from fixtures/kernel-floor.py. */
const KERNEL = ' (floor: the kernel, SIGTERM and waitpid(-1) in a plain Python loop)';

const pool = (sessions, pick) =>
  sessions.flatMap((s) => {
    const v = pick(s);
    return v === undefined || v === null ? [] : Array.isArray(v) ? v : [v];
  });

/** Samples per figure id and system from the raw sessions (and the config-load and extra results). */
export function collectSamples({ sessions, configLoad, planChange, sizes }) {
  const N = sizes.main;
  const samples = {};
  const put = (id, system, xs) => {
    samples[id] ??= { svd: [], supervisor: [], floor: [] };
    samples[id][system].push(...xs);
  };
  if (configLoad) {
    put('config-load', 'svd', configLoad.svd);
    put('config-load', 'supervisor', configLoad.supervisor);
  }
  if (planChange && !planChange.error) {
    put('plan-change', 'svd', planChange.planMs);
    put('plan-change', 'floor', planChange.loadMs);
  }
  for (const system of ['svd', 'supervisor', 'floor']) {
    const mine = sessions.filter((s) => s.system === system);
    const at = (n) => mine.filter((s) => s.n === n);
    for (const n of sizes.cold)
      put(
        `cold-${n}`,
        system,
        pool(at(n), (s) => s.coldMs),
      );
    put(
      'rss-0',
      system,
      pool(at(0), (s) => s.rssKb),
    );
    put(
      `rss-${N}`,
      system,
      pool(at(N), (s) => s.rssKb),
    );
    const rss0 = summarize(samples['rss-0'][system]);
    if (rss0)
      put(
        'rss-per-process',
        system,
        pool(at(N), (s) => (s.rssKb == null ? null : (s.rssKb - rss0.median) / N)),
      );
    put(
      `idle-cpu-${N}`,
      system,
      pool(at(N), (s) => s.idleCpuMsPer10s),
    );
    put(
      `idle-cpu-start-${N}`,
      system,
      pool(at(N), (s) => s.idleCpuAfterStartMsPer10s),
    );
    put(
      `status-rpc-${N}`,
      system,
      pool(at(N), (s) => s.statusMs),
    );
    if (sizes.big)
      put(
        `status-rpc-${sizes.big}`,
        system,
        pool(at(sizes.big), (s) => s.statusMs),
      );
    put(
      `status-ctl-${N}`,
      system,
      pool(at(N), (s) => s.ctlStatusMs),
    );
    put(
      `crash-${N}`,
      system,
      pool(at(N), (s) => s.crashMs),
    );
    if (system !== 'floor') {
      put(
        `burst-${N}`,
        system,
        pool(at(N), (s) => s.burstMs),
      );
      put(
        `burst-${N}`,
        'floor',
        pool(at(N), (s) => s.burstLimitMs),
      );
    }
    put(
      `apply-${N}`,
      system,
      pool(at(N), (s) => s.apply?.ms),
    );
    put(
      `stopall-${N}`,
      system,
      pool(at(N), (s) => s.stopAllMs),
    );
    for (const n of sizes.shutdown)
      put(
        `shutdown-${n}`,
        system,
        pool(at(n), (s) => s.shutdownMs),
      );
  }
  const kernel = sessions.filter((s) => s.system === 'kernel');
  const copy = (from, to, pick) => {
    if (!samples[from]) return;
    put(to, 'svd', samples[from].svd);
    put(to, 'supervisor', samples[from].supervisor);
    put(
      to,
      'floor',
      pool(kernel.filter(pick), (s) => s.stopAllMs ?? s.shutdownMs),
    );
  };
  copy(`stopall-${N}`, `stopall-kernel-${N}`, (s) => s.n === N && s.stopAllMs != null);
  for (const n of sizes.shutdown)
    copy(`shutdown-${n}`, `shutdown-kernel-${n}`, (s) => s.n === n && s.shutdownMs != null);
  if (sizes.big) {
    const big = summarize(samples[`status-rpc-${sizes.big}`].svd);
    const main = summarize(samples[`status-rpc-${N}`].svd);
    if (big && main) put('status-rpc-scaling', 'svd', [big.median / main.median]);
  }
  return samples;
}

/** Facts beside the timings that targets check: bytes lost in the burst, pids changed by apply (svd's). */
export function collectExtras({ sessions, planChange, sizes }) {
  const svd = sessions.filter((s) => s.system === 'svd' && s.n === sizes.main);
  const extras = {};
  if (planChange && !planChange.error) extras['plan-change'] = { restarts: planChange.counts.restart };
  const bursts = svd.filter((s) => s.burst);
  if (bursts.length)
    extras[`burst-${sizes.main}`] = {
      lostBytes: Math.max(...bursts.map((s) => (s.burst.intact ? 0 : Math.max(s.burst.lostBytes, 1)))),
    };
  const applies = svd.filter((s) => s.apply && s.apply.ms !== null);
  if (applies.length) {
    const off = applies.find((s) => s.apply.pidsChanged !== 1);
    extras[`apply-${sizes.main}`] = { pidsChanged: (off ?? applies[0]).apply.pidsChanged };
  }
  return extras;
}

/** The verdict of one figure: met, missed (with the failing checks), or pending (data missing). */
export function judge(def, s, extra = {}) {
  const svd = summarize(s?.svd ?? []);
  const supervisor = summarize(s?.supervisor ?? []);
  const floor = summarize(s?.floor ?? []);
  const vsSupervisor = ratio(svd, supervisor);
  const vsFloor = ratio(svd, floor);
  const t = def.target;
  const checks = [];
  if (t.vsSupervisor !== undefined)
    checks.push(
      vsSupervisor === null
        ? null
        : t.strict
          ? vsSupervisor < t.vsSupervisor
          : vsSupervisor <= t.vsSupervisor,
    );
  if (t.vsFloor !== undefined) checks.push(vsFloor === null ? null : vsFloor <= t.vsFloor);
  if (t.max !== undefined) checks.push(svd === null ? null : svd.median <= t.max);
  if (t.lostBytes !== undefined)
    checks.push(extra.lostBytes === undefined ? null : extra.lostBytes <= t.lostBytes);
  if (t.pidsChanged !== undefined)
    checks.push(extra.pidsChanged === undefined ? null : extra.pidsChanged === t.pidsChanged);
  if (t.restarts !== undefined)
    checks.push(extra.restarts === undefined ? null : extra.restarts === t.restarts);
  const verdict =
    checks.length === 0
      ? 'info'
      : checks.includes(null)
        ? 'pending'
        : checks.every(Boolean)
          ? 'met'
          : 'missed';
  return { svd, supervisor, floor, vsSupervisor, vsFloor, verdict };
}

/** The target as text: `≤0.3x sup, ≤1.3x floor`. */
export function targetText(t) {
  const parts = [];
  if (t.vsSupervisor !== undefined) parts.push(`${t.strict ? '<' : '≤'}${t.vsSupervisor}x supervisor`);
  if (t.vsFloor !== undefined) parts.push(`≤${t.vsFloor}x floor`);
  if (t.max !== undefined) parts.push(`≤${t.max}`);
  if (t.lostBytes !== undefined) parts.push('0 bytes lost');
  if (t.pidsChanged !== undefined) parts.push(`${t.pidsChanged} pid changed`);
  if (t.restarts !== undefined) parts.push(`${t.restarts} restart planned`);
  return parts.join(', ') || '—';
}
