// `node bench/soak.mjs [--minutes M] [--sample S] [--restart-every MIN] [--seed N] [--keep]`: runs svd's
// daemon for M minutes on ~30 programs of mixed kinds under a moderate mixed load (RPC reads, stop/start,
// signals, log clears, SIGUSR2, applies and SIGHUPs of edited configs, supervisor.restart), samples it every
// S seconds, and ends with a verdict on slow leaks (RSS, fds, threads, zombies, processes) and crashes.
// Writes bench/results/soak-<time>.json; `--judge FILE` judges such a file again. How it works:
// bench/README.md, "Soak run".
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DaemonRun, ROOT } from './lib/daemon.mjs';
import { cpuSeconds, killMarked, liveMarkedPids } from './lib/procfs.mjs';
import { EDITS, TARGETS, processCount, writeSoakConfig } from './lib/soak-config.mjs';
import { fdCount, fileSize, processInfos, processTable, statusOf, treeOf } from './lib/soak-probe.mjs';
import { judgeSoak } from './lib/soak-verdict.mjs';
import { xmlrpcCall } from './lib/xmlrpc.mjs';

const argv = process.argv.slice(2);
const value = (name, dflt) => {
  const i = argv.findIndex((a) => a === name || a.startsWith(`${name}=`));
  if (i < 0) return dflt;
  return argv[i].includes('=') ? argv[i].slice(name.length + 1) : argv[i + 1];
};
const MINUTES = Number(value('--minutes', 10));
const SAMPLE_S = Number(value('--sample', 30));
const SEED = Number(value('--seed', Date.now() % 100000));
const KEEP = argv.includes('--keep');
const TICK_MS = 3000;
const USR2_EVERY_MS = 60_000;
const EDIT_EVERY_MS = 90_000;
const REVERT_AFTER_MS = 45_000;
const RESTART_EVERY_MS = Number(value('--restart-every', 5)) * 60_000;
const RPC_TIMEOUT_MS = 15_000;

const JUDGE = value('--judge', null);
if (JUDGE) {
  // Judge a saved results file again (after a change to the verdict), then stop: no daemon, no temp dir.
  const saved = JSON.parse(readFileSync(JUDGE, 'utf8'));
  const v = judgeSoak(saved);
  process.stdout.write(`${v.lines.join('\n')}\n`);
  process.exit(v.failed ? 1 : 0);
}

const runId = `soak-${process.pid}-${Date.now()}`;
const t0 = performance.now();
const minutes = () => (performance.now() - t0) / 60_000;
const log = (msg) => process.stderr.write(`[soak ${minutes().toFixed(2).padStart(6)}m] ${msg}\n`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// mulberry32: a seeded choice of targets, so a run that finds something can be repeated.
let seed = SEED >>> 0;
function rand() {
  seed = (seed + 0x6d2b79f5) >>> 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = (list) => list[Math.floor(rand() * list.length)];

const dir = mkdtempSync(join(tmpdir(), 'svd-soak-'));
const { paths, text: baseText } = writeSoakConfig({ dir, runId });
const EXPECTED = processCount(baseText);
const daemon = new DaemonRun('svd', paths, runId);

const stats = {
  calls: 0,
  faults: new Map(), // fault string -> count
  errors: [], // {t, method, error}: no answer (timeout, connection refused) outside a restart window
  actions: new Map(),
  problems: [], // anything the harness checked and found wrong, with the time
};
const samples = [];
let restarting = false;
let stopping = false;

const count = (map, key) => map.set(key, (map.get(key) ?? 0) + 1);
const problem = (msg) => {
  stats.problems.push({ t: Number(minutes().toFixed(2)), msg });
  log(`PROBLEM: ${msg}`);
};

/** One XML-RPC call; a fault is an answer, a timeout or a refused connection is not (and is recorded). */
async function rpc(method, params = [], timeoutMs = RPC_TIMEOUT_MS) {
  stats.calls++;
  try {
    const r = await xmlrpcCall(paths.socket, method, params, timeoutMs);
    if (r.status !== 200) throw new Error(`HTTP ${r.status}`);
    if (r.fault) count(stats.faults, `${method}: ${r.fault.replace(/:.*/, '')}`);
    return r;
  } catch (e) {
    if (!restarting) stats.errors.push({ t: Number(minutes().toFixed(2)), method, error: e.message });
    if (!restarting) log(`no answer to ${method}: ${e.message}`);
    return null;
  }
}

async function allInfos() {
  const r = await rpc('supervisor.getAllProcessInfo');
  return r && !r.fault ? processInfos(r.body) : null;
}

const namespec = (i) => (i.group && i.group !== i.name ? `${i.group}:${i.name}` : i.name);

function runCli(args, timeoutMs) {
  return new Promise((resolve) => {
    // No run mark in this environment: the CLI is the harness's, not a child of the daemon.
    const cp = spawn(process.execPath, [join(ROOT, 'dist/src/cli/bin/svd.js'), ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out = [];
    cp.stdout.on('data', (c) => out.push(c));
    cp.stderr.on('data', (c) => out.push(c));
    const timer = setTimeout(() => cp.kill('SIGKILL'), timeoutMs);
    cp.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, output: Buffer.concat(out).toString('utf8') });
    });
  });
}

/** Polls `check(infos)` until it holds or `ms` passes. */
async function until(check, ms) {
  const end = performance.now() + ms;
  while (performance.now() < end && !stopping) {
    const infos = await allInfos();
    if (infos && check(infos)) return true;
    await sleep(500);
  }
  return false;
}

/** What an edit should make visible, checked after it is applied (the log-size change shows nothing). */
function expectation(edit, reverted, before) {
  const has = (infos, n) => infos.some((i) => namespec(i) === n);
  switch (edit.what) {
    case 'add extra':
      return (infos) => has(infos, 'extra') !== reverted;
    case 'remove sleeper_5':
      return (infos) => has(infos, 'sleeper_5') === reverted;
    case 'change sleeper_4 command': {
      const pid = before?.find((i) => i.name === 'sleeper_4')?.pid;
      return (infos) => infos.some((i) => i.name === 'sleeper_4' && i.pid !== pid && i.state === 'RUNNING');
    }
    default:
      return () => true;
  }
}

let editCount = 0;
/** Applies `text` by `svd apply` or SIGHUP (alternating), then checks the edit took effect. */
async function applyText(text, edit, reverted) {
  const before = await allInfos();
  writeFileSync(paths.conf, text);
  // Each edit goes in by one way and comes back out by the other, alternating between edits.
  const how = ((editCount >> 1) + editCount) % 2 === 0 ? 'apply' : 'sighup';
  editCount++;
  count(stats.actions, `${how} ${reverted ? 'revert' : 'edit'}`);
  if (how === 'apply') {
    const r = await runCli(['apply', '-c', paths.conf], 60_000);
    if (r.code !== 0)
      problem(
        `svd apply (${edit.what}${reverted ? ', revert' : ''}) exited ${r.code ?? r.signal}: ${r.output.slice(0, 300)}`,
      );
  } else {
    process.kill(daemon.pid, 'SIGHUP');
  }
  if (!(await until(expectation(edit, reverted, before), 30_000))) {
    problem(`${how} of "${edit.what}"${reverted ? ' (revert)' : ''} not visible after 30 s`);
  }
}

async function restartDaemon() {
  count(stats.actions, 'supervisor.restart');
  const r = await rpc('supervisor.restart');
  if (!r || r.fault) return problem(`supervisor.restart: ${r?.fault ?? 'no answer'}`);
  restarting = true;
  const tStart = performance.now();
  // Ready again: the state is RUNNING and every program is in the list.
  const ok = await until((infos) => infos.length >= EXPECTED, 90_000);
  restarting = false;
  const s = ((performance.now() - tStart) / 1000).toFixed(1);
  if (!ok) problem(`not back 90 s after supervisor.restart`);
  else log(`supervisor.restart: back in ${s} s`);
}

async function loadLoop(endAt) {
  let tick = 0;
  let nextUsr2 = performance.now() + USR2_EVERY_MS;
  let nextEdit = performance.now() + EDIT_EVERY_MS / 2;
  let nextRestart = performance.now() + RESTART_EVERY_MS;
  let pending = null; // {edit, revertAt}
  while (performance.now() < endAt && !stopping) {
    const started = performance.now();
    tick++;
    const infos = await allInfos();
    if (infos && infos.length < EXPECTED - 1) problem(`getAllProcessInfo returned ${infos.length} processes`);
    await rpc('supervisor.tailProcessStdoutLog', [pick(TARGETS.logs), 0, 2000]);
    await rpc('supervisor.readLog', [-2000, 0]);
    switch (tick % 3) {
      case 0: {
        const name = pick(TARGETS.stopStart);
        count(stats.actions, 'stop/start');
        await rpc('supervisor.stopProcess', [name, true], 60_000);
        await rpc('supervisor.startProcess', [name, true], 60_000);
        break;
      }
      case 1:
        count(stats.actions, 'signalProcess');
        await rpc('supervisor.signalProcess', [pick(TARGETS.signal), pick(['USR1', 'HUP', 'CONT', 'WINCH'])]);
        break;
      default:
        count(stats.actions, 'clearProcessLogs');
        await rpc('supervisor.clearProcessLogs', [pick(TARGETS.logs)]);
    }
    const now = performance.now();
    if (now >= nextUsr2) {
      count(stats.actions, 'SIGUSR2');
      process.kill(daemon.pid, 'SIGUSR2');
      nextUsr2 = now + USR2_EVERY_MS;
    }
    if (pending && now >= pending.revertAt) {
      await applyText(baseText, pending.edit, true);
      pending = null;
    } else if (!pending && now >= nextEdit) {
      const edit = EDITS[((editCount / 2) % EDITS.length) | 0];
      log(`edit: ${edit.what}`);
      await applyText(edit.edit(baseText, dir), edit, false);
      pending = { edit, revertAt: performance.now() + REVERT_AFTER_MS };
      nextEdit = performance.now() + EDIT_EVERY_MS;
    } else if (!pending && now >= nextRestart && endAt - now > 60_000) {
      await restartDaemon();
      nextRestart = performance.now() + RESTART_EVERY_MS;
    }
    await sleep(Math.max(0, TICK_MS - (performance.now() - started)));
  }
  // Leave the config as it started, so the shutdown and the orphan check see the base set.
  if (pending) await applyText(baseText, pending.edit, true);
}

let lastCpu = null;
let prevZombies = new Set();
let prevUntracked = new Set();
let prevTransient = new Set();
/** When the sample the prev* sets come from was taken: a state seen twice counts only if seen SAMPLE_S apart. */
let prevSampleAt = -Infinity;

async function takeSample() {
  const pid = daemon.pid;
  const st = statusOf(pid);
  if (!st || daemon.exitInfo) {
    problem(`daemon gone at sample (${JSON.stringify(daemon.exitInfo)}): ${daemon.stderrTail.slice(-500)}`);
    return null;
  }
  const fds = fdCount(pid);
  const cpu = cpuSeconds(pid);
  const tNow = performance.now();
  const cpuPct = lastCpu ? ((cpu - lastCpu.cpu) / ((tNow - lastCpu.t) / 1000)) * 100 : null;
  lastCpu = { cpu, t: tNow };
  // /proc before and after the RPC: a child alive in both must be in the answer; a pid in the answer must be
  // alive in one of them. Crash loops come and go between the two, so one snapshot would race.
  const a = treeOf(processTable(runId), pid);
  const infos = await allInfos();
  const b = treeOf(processTable(runId), pid);
  // The final sample follows the last periodic one at once: a process STARTING in both is no sign of a stall.
  const apart = tNow - prevSampleAt >= SAMPLE_S * 1000 * 0.9;
  prevSampleAt = tNow;
  const rpcPids = new Set((infos ?? []).filter((i) => i.pid > 0).map((i) => i.pid));
  const untracked = infos ? a.live.filter((p) => b.live.includes(p) && !rpcPids.has(p)) : [];
  const phantom = infos
    ? [...rpcPids].filter((p) => !a.live.includes(p) && !a.zombies.includes(p) && !b.live.includes(p))
    : [];
  // A zombie or untracked child seen at two samples in a row (30 s apart) is not a race.
  const zombies = new Set(a.zombies.filter((p) => b.zombies.includes(p)));
  for (const p of zombies)
    if (apart && prevZombies.has(p)) problem(`zombie child ${p} not reaped for ${SAMPLE_S} s`);
  for (const p of untracked)
    if (apart && prevUntracked.has(p))
      problem(`child ${p} alive for ${SAMPLE_S} s but not in getAllProcessInfo`);
  prevZombies = zombies;
  prevUntracked = new Set(untracked);
  // STARTING lasts startsecs (≤ 1 s here), STOPPING stopwaitsecs (10 s), BACKOFF a few seconds: the same
  // process (pid and start time) in the same one of them at two samples in a row is stuck.
  const transient = new Set(
    (infos ?? [])
      .filter((i) => ['STARTING', 'STOPPING', 'BACKOFF'].includes(i.state))
      .map((i) => `${namespec(i)} ${i.state} pid ${i.pid} start ${i.start}`),
  );
  for (const k of transient) if (apart && prevTransient.has(k)) problem(`stuck for ${SAMPLE_S} s: ${k}`);
  prevTransient = transient;
  const orphans = a.orphans.filter((p) => b.orphans.includes(p));
  const s = {
    min: Number(minutes().toFixed(2)),
    rssKb: st.rssKb,
    anonKb: st.anonKb,
    fds,
    threads: st.threads,
    zombies: zombies.size,
    live: b.live.length,
    rpcRunning: rpcPids.size,
    untracked: untracked.length,
    phantom: phantom.length,
    orphans: orphans.length,
    mainLogKb: Math.round(fileSize(paths.log) / 1024),
    childLogFiles: readdirSync(paths.childlogdir).length,
    cpuPct: cpuPct === null ? null : Number(cpuPct.toFixed(1)),
    load1: Number(loadavg()[0].toFixed(2)),
    restarting,
  };
  if (phantom.length) log(`note: getAllProcessInfo pids not alive: ${phantom.join(',')}`);
  if (orphans.length) log(`note: marked processes outside the daemon's tree: ${orphans.join(',')}`);
  samples.push(s);
  printRow(s);
  return s;
}

const COLS = [
  ['min', 6],
  ['rssKb', 8],
  ['anonKb', 8],
  ['fds', 5],
  ['threads', 7],
  ['zombies', 7],
  ['live', 5],
  ['rpcRunning', 10],
  ['untracked', 9],
  ['phantom', 7],
  ['orphans', 7],
  ['mainLogKb', 9],
  ['childLogFiles', 13],
  ['cpuPct', 6],
  ['load1', 5],
];
const printHeader = () => process.stdout.write(COLS.map(([k, w]) => k.padStart(w)).join(' ') + '\n');
const printRow = (s) =>
  process.stdout.write(COLS.map(([k, w]) => String(s[k] ?? '-').padStart(w)).join(' ') + '\n');

async function sampler(endAt) {
  let next = performance.now() + SAMPLE_S * 1000;
  while (!stopping && performance.now() < endAt + 1000) {
    await sleep(Math.max(0, next - performance.now()));
    if (stopping) break;
    next += SAMPLE_S * 1000;
    // During a supervisor.restart the program list is being rebuilt: the counts would be noise.
    if (!restarting) await takeSample();
  }
}

/** SIGTERM, the daemon gone within 60 s, then no process with the run's mark left (after a 3 s grace). */
async function cleanShutdown() {
  if (daemon.exitInfo) return { exited: false, ms: null, orphans: [] };
  const t = performance.now();
  process.kill(daemon.pid, 'SIGTERM');
  const exited = await Promise.race([daemon.exited, sleep(60_000).then(() => null)]);
  const ms = performance.now() - t;
  let orphans = liveMarkedPids(runId);
  const atExit = orphans.length;
  for (let i = 0; i < 30 && orphans.length; i++) {
    await sleep(100);
    orphans = liveMarkedPids(runId);
  }
  const describe = (p) => {
    try {
      return `${p}:${readFileSync(`/proc/${p}/cmdline`, 'utf8').replace(/\0/g, ' ').trim()}`;
    } catch {
      return `${p}:gone`;
    }
  };
  return {
    exited: exited !== null,
    exitInfo: exited,
    ms,
    orphansAtExit: atExit,
    orphans: orphans.map(describe),
  };
}

async function main() {
  log(`run ${runId}, ${MINUTES} min, sample every ${SAMPLE_S} s, seed ${SEED}, dir ${dir}`);
  daemon.start();
  if (!(await daemon.waitSocket(30_000))) throw new Error(`no socket: ${daemon.stderrTail}`);
  if (!(await until((infos) => infos.length >= EXPECTED, 30_000))) throw new Error('programs not listed');
  printHeader();
  const endAt = performance.now() + MINUTES * 60_000;
  await takeSample();
  await Promise.all([loadLoop(endAt), sampler(endAt)]);
  stopping = true;
  await takeSample();
  log('SIGTERM to the daemon');
  const shutdown = await cleanShutdown();
  const v = judgeSoak({
    samples,
    shutdown,
    errors: stats.errors,
    problems: stats.problems,
    calls: stats.calls,
  });
  const own = process.cpuUsage();
  v.lines.push(
    `     harness CPU: ${(((own.user + own.system) / 1e6 / (minutes() * 60)) * 100).toFixed(1)}% of one core`,
  );
  log(`actions: ${JSON.stringify(Object.fromEntries(stats.actions))}`);
  log(`faults (answers): ${JSON.stringify(Object.fromEntries(stats.faults))}`);
  for (const p of stats.problems) log(`problem at ${p.t} min: ${p.msg}`);
  for (const e of stats.errors.slice(0, 20)) log(`unanswered at ${e.t} min: ${e.method}: ${e.error}`);
  if (shutdown.orphans.length) log(`left after shutdown: ${shutdown.orphans.join(' | ')}`);
  process.stdout.write(`\nverdict (${MINUTES} min, ${samples.length} samples):\n${v.lines.join('\n')}\n`);
  const out = join(ROOT, 'bench/results', `soak-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  mkdirSync(join(ROOT, 'bench/results'), { recursive: true });
  writeFileSync(
    out,
    JSON.stringify(
      {
        runId,
        minutes: MINUTES,
        seed: SEED,
        samples,
        shutdown,
        verdict: v.lines,
        calls: stats.calls,
        errors: stats.errors,
        faults: Object.fromEntries(stats.faults),
        actions: Object.fromEntries(stats.actions),
        problems: stats.problems,
      },
      null,
      2,
    ),
  );
  log(`results: ${out}`);
  return v.failed ? 1 : 0;
}

let code = 1;
const onSignal = () => {
  stopping = true;
  log('interrupted: cleaning up');
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);
try {
  code = await main();
} catch (e) {
  log(`error: ${e.stack ?? e}`);
} finally {
  stopping = true;
  const left = await daemon.cleanup();
  if (left) log(`killed ${left} leftover processes of the run`);
  if (liveMarkedPids(runId).length) killMarked(runId);
  if (KEEP) log(`kept ${dir}`);
  else rmSync(dir, { recursive: true, force: true });
}
process.exit(code);
