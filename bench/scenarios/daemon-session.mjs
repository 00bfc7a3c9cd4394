// Scenario runner: one daemon (svd or supervisor) launched on N `sleep` programs, taken through the steps a
// session asks for, in this order: cold start, resident memory, idle CPU, status (XML-RPC and the ctl
// process), crash to replacement, log burst, then stop-all or shutdown. Cleanup always runs, leftovers are
// counted. Every wait has a deadline.
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeSessionConfig, programName } from '../lib/config-gen.mjs';
import { DaemonRun, ROOT, SUPERVISORCTL } from '../lib/daemon.mjs';
import {
  burstSection,
  checkBurstFile,
  startDirectWriter,
  timeOneBurst,
  waitForHandler,
} from '../lib/burst.mjs';
import { countProcessInfos, rpcAvailable, xmlrpcCall } from '../lib/xmlrpc.mjs';
import { applyOneChange } from '../lib/apply-step.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Generous per-N deadlines: supervisor spawns ~30 programs a second here. */
export const coldDeadlineMs = (n) => 60_000 + n * 200;
const stopDeadlineMs = (n) => 60_000 + n * 50;

/** Runs a command to completion; {ms, code, stdout}. */
function timeProcess(cmd, args, timeoutMs) {
  return new Promise((resolve) => {
    const t = performance.now();
    const cp = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const out = [];
    cp.stdout.on('data', (c) => out.push(c));
    cp.stderr.on('data', (c) => out.push(c));
    const timer = setTimeout(() => cp.kill('SIGKILL'), timeoutMs);
    cp.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ ms: performance.now() - t, code, stdout: Buffer.concat(out).toString('utf8') });
    });
  });
}

/** The ctl status command line for `system` (svd's own client, or supervisorctl). */
function ctlStatusArgv(system, conf) {
  return system === 'svd'
    ? [process.execPath, [join(ROOT, 'dist/src/cli/bin/svd.js'), 'ctl', '-c', conf, 'status']]
    : [SUPERVISORCTL, ['-c', conf, 'status']];
}

/**
 * steps: { memory, settleMs, idleSeconds, restAfterMs, statusCalls, ctlRuns, crashes, apply, burstBytes, burstRounds,
 *          end: 'shutdown' | 'stopall' }.
 * Returns raw measurements (ms unless named otherwise) and notes on what could not be measured.
 */
export async function runDaemonSession({ system, n, runId, dir, steps, log }) {
  const burst = steps.burstBytes > 0;
  const burstLog = join(dir, 'burst.log');
  const paths = writeSessionConfig({
    dir,
    n,
    runId,
    childLogs: steps.childLogs ?? true,
    extraSections: burst ? burstSection(burstLog, steps.burstBytes) : '',
  });
  const total = n + (burst ? 1 : 0);
  const out = { system, n, notes: [] };
  const d = new DaemonRun(system, paths, runId).start();
  try {
    if (n === 0) {
      out.startedMs = await d.waitLog((w) => w.started, 30_000, 'supervisord started');
    } else {
      out.coldMs = await d.waitAllRunning(total, coldDeadlineMs(n));
      log(`${system} N=${n}: all RUNNING after ${(out.coldMs / 1000).toFixed(2)} s`);
    }

    if (steps.memory) {
      // Let the daemon finish its post-start work (GC, settling of timers) before reading RSS.
      await sleep(steps.settleMs ?? 2000);
      out.rssKb = d.rssKb();
    }

    if (steps.idleSeconds > 0) {
      const allRunningAt = d.t0 + (out.coldMs ?? 0);
      const idleWindow = async () => {
        const c0 = d.cpuSeconds();
        await sleep(steps.idleSeconds * 1000);
        return ((d.cpuSeconds() - c0) * 1000 * 10) / steps.idleSeconds;
      };
      // Right after the start: one-time work falls here (V8's memory reducer compacts the heap 8 s after the
      // start's last full GC, three times), at a time that depends on how long the start took.
      out.idleCpuAfterStartMsPer10s = await idleWindow();
      // At rest: the steady state the target is about, the same for every machine.
      await sleep(Math.max(0, allRunningAt + (steps.restAfterMs ?? 0) - performance.now()));
      out.idleCpuMsPer10s = await idleWindow();
    }

    const rpc =
      steps.statusCalls > 0 || steps.apply || steps.end === 'stopall'
        ? await rpcAvailable(paths.socket)
        : false;
    if (steps.statusCalls > 0) {
      if (!rpc) out.notes.push(`${system}: no XML-RPC answer on ${paths.socket}`);
      else {
        out.statusMs = [];
        await xmlrpcCall(paths.socket, 'supervisor.getAllProcessInfo'); // warm-up
        for (let i = 0; i < steps.statusCalls; i++) {
          const r = await xmlrpcCall(paths.socket, 'supervisor.getAllProcessInfo');
          const count = countProcessInfos(r.body);
          if (r.fault || count !== total)
            throw new Error(`getAllProcessInfo gave ${count} of ${total} (${r.fault})`);
          out.statusMs.push(r.ms);
        }
      }
    }
    if (steps.ctlRuns > 0) {
      const [cmd, args] = ctlStatusArgv(system, paths.conf);
      out.ctlStatusMs = [];
      for (let i = 0; i < steps.ctlRuns; i++) {
        const r = await timeProcess(cmd, args, 120_000);
        const lines = r.stdout.split('\n').filter((l) => /RUNNING|EXITED|STOPPED/.test(l)).length;
        if (lines < total) {
          out.notes.push(
            `${system} ctl status: ${lines} of ${total} lines (exit ${r.code}): ${r.stdout.slice(0, 200)}`,
          );
          delete out.ctlStatusMs;
          break;
        }
        out.ctlStatusMs.push(r.ms);
      }
    }

    if (steps.crashes > 0) {
      out.crashMs = [];
      for (let k = 0; k < steps.crashes; k++) {
        const name = programName(Math.floor((n * (k + 0.5)) / steps.crashes));
        d.watch.poll();
        const pid = d.watch.pids.get(name);
        const before = d.watch.successes.get(name) ?? 0;
        const t = performance.now();
        process.kill(pid, 'SIGKILL');
        const seen = await d.watch.until(
          (w) => (w.successes.get(name) ?? 0) > before && w.pids.get(name) !== pid,
          30_000,
          `${name} to be replaced`,
        );
        out.crashMs.push(seen - t);
        await sleep(300);
      }
    }

    if (steps.apply) {
      if (!rpc) out.notes.push(`${system}: apply needs XML-RPC to compare pids`);
      else {
        const name = programName(Math.floor(n / 3));
        out.apply = await applyOneChange({
          system,
          conf: paths.conf,
          socket: paths.socket,
          name,
          watch: d.watch,
        });
        if (out.apply.ms === null)
          out.notes.push(`${system} apply failed (exit ${out.apply.code}): ${out.apply.output.trim()}`);
      }
    }

    if (burst) {
      d.watch.poll();
      const pid = d.watch.pids.get('burst');
      if (!(await waitForHandler(pid, 10_000))) throw new Error('burst writer never became ready');
      const directLog = join(dir, 'burst-direct.log');
      const direct = await startDirectWriter({ file: directLog, bytes: steps.burstBytes, runId });
      try {
        const once = (who) =>
          timeOneBurst(
            who === 'daemon' ? pid : direct.pid,
            who === 'daemon' ? burstLog : directLog,
            steps.burstBytes,
            120_000,
          );
        await once('direct'); // warm-up, not counted
        out.burstMs = [];
        out.burstLimitMs = [];
        const rounds = steps.burstRounds ?? 2;
        for (let r = 0; r < rounds; r++) {
          for (const who of r % 2 === 0 ? ['daemon', 'direct'] : ['direct', 'daemon']) {
            const ms = await once(who);
            (who === 'daemon' ? out.burstMs : out.burstLimitMs).push(ms);
          }
        }
        out.burst = await checkBurstFile(burstLog, steps.burstBytes, rounds);
        out.burstLimit = await checkBurstFile(directLog, steps.burstBytes, rounds + 1);
      } finally {
        direct.stop();
        rmSync(burstLog, { force: true });
        rmSync(directLog, { force: true });
      }
    }

    if (steps.end === 'stopall') {
      if (!rpc) out.notes.push(`${system}: stop all needs XML-RPC`);
      else {
        const r = await xmlrpcCall(paths.socket, 'supervisor.stopAllProcesses', [true], stopDeadlineMs(n));
        if (r.fault) throw new Error(`stopAllProcesses: ${r.fault}`);
        out.stopAllMs = r.ms;
      }
    } else if (steps.end === 'shutdown') {
      out.shutdownMs = await d.shutdown(stopDeadlineMs(n));
      if (out.shutdownMs === null) out.notes.push(`${system}: shutdown did not finish in time`);
    }
  } catch (e) {
    out.error = e instanceof Error ? e.message : String(e);
    log(`${system} N=${n}: ${out.error}`);
  } finally {
    out.leftovers = await d.cleanup();
    if (steps.end === 'shutdown' && out.shutdownMs != null && out.leftovers > 0)
      out.notes.push(`${system}: ${out.leftovers} processes left after shutdown`);
    // The directory stays until the run ends (bench/run.mjs removes it): see "No session pays for the one before"
    // in bench/README.md.
  }
  return out;
}
