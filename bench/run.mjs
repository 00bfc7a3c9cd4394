// `npm run bench [-- --quick] [--reps N] [--only load,cold,main,big,web] [--no-big]`: svd side by side with
// Debian's supervisor 4.2.5 and a bare Node floor, alternating, repeated; prints medians and ratios and writes
// bench/results/<mode>-<time>.json and latest.md (latest-quick.md for --quick). How figures are taken:
// bench/README.md.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, release, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, SUPERVISORD } from './lib/daemon.mjs';
import { killMarked, liveMarkedPids } from './lib/procfs.mjs';
import { collectExtras, collectSamples, figureDefinitions, judge } from './lib/figures.mjs';
import { consoleTable, markdownReport } from './lib/report.mjs';
import { runConfigLoad } from './scenarios/config-load.mjs';
import { runPlanChange } from './scenarios/plan-change.mjs';
import { runDaemonSession } from './scenarios/daemon-session.mjs';
import { runFloorSession } from './scenarios/floor-session.mjs';
import { runWebBench } from './scenarios/web.mjs';

const argv = process.argv.slice(2);
const flag = (name) => argv.includes(name);
const value = (name) => {
  const i = argv.findIndex((a) => a === name || a.startsWith(`${name}=`));
  if (i < 0) return undefined;
  return argv[i].includes('=') ? argv[i].slice(name.length + 1) : argv[i + 1];
};

const quick = flag('--quick');
const mode = quick ? 'quick' : 'full';
const reps = Number(value('--reps') ?? (quick ? 1 : 3));
const only = new Set((value('--only') ?? (quick ? 'load,cold,main' : 'load,cold,main,big,web')).split(','));
const MB = 1024 * 1024;
const sizes = quick
  ? { main: 50, cold: [50], shutdown: [50], big: null, burstMb: 20, loadPrograms: 1000, loadFiles: 10 }
  : {
      main: 1000,
      cold: [100, 1000, 5000],
      shutdown: [100, 1000],
      big: 5000,
      burstMb: 200,
      loadPrograms: 10000,
      loadFiles: 100,
    };
if (flag('--no-big') || !only.has('big')) {
  sizes.cold = sizes.cold.filter((n) => n !== sizes.big);
  sizes.big = null;
}

const runId = `${process.pid}-${Date.now()}`;
const started = performance.now();
const log = (msg) =>
  process.stderr.write(`[bench ${((performance.now() - started) / 1000).toFixed(0).padStart(4)}s] ${msg}\n`);

function ensureSupervisor() {
  if (existsSync(SUPERVISORD)) return;
  log('supervisor is missing: apt-get install -y supervisor');
  let r = spawnSync('apt-get', ['install', '-y', 'supervisor'], { stdio: 'inherit' });
  if (r.status !== 0) {
    spawnSync('apt-get', ['update'], { stdio: 'inherit' });
    r = spawnSync('apt-get', ['install', '-y', 'supervisor'], { stdio: 'inherit' });
  }
  if (!existsSync(SUPERVISORD)) throw new Error('could not install supervisor');
}

function machine() {
  const cpu = /model name\s*:\s*(.*)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? 'unknown';
  const sup = spawnSync(SUPERVISORD, ['--version'], { encoding: 'utf8' }).stdout.trim();
  return {
    nproc: availableParallelism(),
    cpu,
    node: process.version,
    kernel: release(),
    supervisor: sup,
    loadavg: loadavg(),
  };
}

/** The sessions of one repetition, each a size and the steps taken there. */
function sessionPlan() {
  const N = sizes.main;
  const plan = [{ n: 0, steps: { memory: true, settleMs: quick ? 500 : 2000, end: 'shutdown' } }];
  for (const n of sizes.cold) {
    if (n === N) continue;
    // 5 fds per program (3 pipes, 2 logs) would not fit 5,000 programs under the fd limit: no child logs there.
    if (n === sizes.big)
      plan.push({ n, steps: { childLogs: false, memory: true, statusCalls: 5, end: 'shutdown' } });
    else plan.push({ n, steps: { end: 'shutdown' } });
  }
  plan.push({
    n: N,
    steps: {
      memory: true,
      settleMs: quick ? 500 : 2000,
      idleSeconds: quick ? 1 : 10,
      // Idle CPU at rest is measured from 30 s after all are RUNNING (daemon-session.mjs).
      restAfterMs: quick ? 2000 : 30_000,
      statusCalls: quick ? 5 : 10,
      ctlRuns: quick ? 1 : 3,
      crashes: quick ? 2 : 5,
      apply: true,
      burstBytes: sizes.burstMb * MB,
      // The burst's rounds spread the most of any figure (the daemon's copy competes for the two cores): four
      // per session give its median twelve samples over three repetitions.
      burstRounds: quick ? 2 : 4,
      end: 'shutdown',
    },
  });
  plan.push({ n: N, steps: { end: 'stopall' } });
  return plan.filter(({ n }) =>
    n === N || n === 0 ? only.has('main') : n === sizes.big ? only.has('big') : only.has('cold'),
  );
}

/** Every session's directory; removed only when the run ends (see daemon-session.mjs). */
const base = join(tmpdir(), `svd-bench-${runId}`);

async function main() {
  ensureSupervisor();
  const info = machine();
  log(
    `${mode} run ${runId}: ${info.nproc} cores, ${info.cpu}, node ${info.node}, supervisor ${info.supervisor}, load ${info.loadavg.map((x) => x.toFixed(2)).join(' ')}`,
  );
  mkdirSync(base, { recursive: true });
  const notes = [];

  const configLoad = only.has('load')
    ? runConfigLoad({ programs: sizes.loadPrograms, files: sizes.loadFiles, reps: quick ? 2 : 5, log })
    : null;
  if (configLoad) notes.push(...configLoad.errors);
  const planChange = only.has('load')
    ? runPlanChange({ programs: sizes.loadPrograms, files: sizes.loadFiles, reps: quick ? 3 : 9, log })
    : null;
  if (planChange?.error) notes.push(planChange.error);

  const sessions = [];
  for (let rep = 0; rep < reps; rep++) {
    for (const { n, steps } of sessionPlan()) {
      const systems = ['svd', 'supervisor', 'floor'];
      // Alternate who goes first, so a slow patch of the machine does not always land on the same system.
      const order = [...systems.slice(rep % 3), ...systems.slice(0, rep % 3)];
      // The kernel floor only stops: it is measured where stop all and shutdown are.
      if (steps.end === 'stopall' || (n > 0 && sizes.shutdown.includes(n))) order.push('kernel');
      for (const system of order) {
        const tag = `${system}-${n}-${steps.end}-${rep}`;
        const result =
          system === 'floor' || system === 'kernel'
            ? await runFloorSession({ n, runId, steps, log, system })
            : await runDaemonSession({ system, n, runId, dir: join(base, tag), steps, log });
        sessions.push({ ...result, rep, end: steps.end });
        const left = liveMarkedPids(runId);
        if (left.length > 0) {
          notes.push(`${tag}: ${left.length} processes still alive after cleanup; killed`);
          killMarked(runId);
        }
        for (const note of result.notes) if (!notes.includes(note)) notes.push(note);
        if (result.error) notes.push(`${tag}: ${result.error}`);
      }
    }
  }

  const web = only.has('web') ? await runWebBench({ log }) : null;
  if (web?.note) notes.push(web.note);

  const defs = figureDefinitions(sizes);
  const samples = collectSamples({ sessions, configLoad, planChange, sizes });
  const extras = collectExtras({ sessions, planChange, sizes });
  const judged = defs
    .filter((def) => samples[def.id] || def.id.startsWith('apply'))
    .map((def) => {
      const result = judge(def, samples[def.id], extras[def.id]);
      const e = extras[def.id];
      const note =
        e?.lostBytes !== undefined
          ? `${e.lostBytes} bytes lost`
          : e?.pidsChanged !== undefined
            ? `${e.pidsChanged} pid changed`
            : e?.restarts !== undefined
              ? `${e.restarts} restart planned`
              : undefined;
      return { def, result, note };
    });
  for (const f of web?.figures ?? []) judged.push(f);

  const date = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  const out = {
    date,
    mode,
    reps,
    machine: info,
    sizes,
    figures: judged.map(({ def, result, note }) => ({
      ...def,
      ...result,
      note,
      samples: samples[def.id] ?? null,
    })),
    sessions,
    configLoad,
    planChange,
    web,
    notes,
  };
  const resultsDir = join(ROOT, 'bench/results');
  mkdirSync(resultsDir, { recursive: true });
  const jsonPath = join(resultsDir, `${mode}-${date.replace(/[:]/g, '-')}.json`);
  writeFileSync(jsonPath, JSON.stringify(out, null, 2) + '\n');
  const md = markdownReport({ date, machine: info, mode, reps, judged, notes });
  writeFileSync(join(resultsDir, quick ? 'latest-quick.md' : 'latest.md'), md);

  process.stdout.write(`\n${consoleTable(judged)}\n\n`);
  for (const n of notes) process.stdout.write(`note: ${n}\n`);
  process.stdout.write(`\nwrote ${jsonPath}\n`);
  const leaked = liveMarkedPids(runId);
  if (leaked.length) {
    process.stdout.write(`killing ${leaked.length} leftover processes\n`);
    killMarked(runId);
  }
  rmSync(base, { recursive: true, force: true });
  log(`done in ${((performance.now() - started) / 1000).toFixed(0)} s`);
  process.exit(0);
}

const abort = () => {
  killMarked(runId);
  rmSync(base, { recursive: true, force: true });
  process.exit(130);
};
process.on('SIGINT', abort);
process.on('SIGTERM', abort);

main().catch((e) => {
  process.stderr.write(`bench failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  killMarked(runId);
  rmSync(base, { recursive: true, force: true });
  process.exit(1);
});
