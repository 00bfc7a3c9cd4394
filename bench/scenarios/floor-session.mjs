// Scenario runner: the bare Node floor for N children, through the same steps as a daemon session; or the
// kernel floor (system 'kernel'), which only starts its children and stops them.
import { FloorRun, KERNEL_FLOOR } from '../lib/floor.mjs';
import { coldDeadlineMs } from './daemon-session.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export async function runFloorSession({ n, runId, steps, log, system = 'floor' }) {
  const out = { system, n, notes: [] };
  const f = new FloorRun(runId, system === 'kernel' ? KERNEL_FLOOR : undefined).start(n);
  try {
    out.coldMs = await f.waitReady(coldDeadlineMs(n));
    log(`${system} N=${n}: all spawned after ${(out.coldMs / 1000).toFixed(2)} s`);
    if (system === 'kernel') {
      steps = { end: steps.end };
      await sleep(1000);
    }
    if (steps.memory) {
      await sleep(steps.settleMs ?? 2000);
      out.rssKb = f.rssKb();
    }
    if (steps.idleSeconds > 0) {
      const c0 = f.cpuSeconds();
      await sleep(steps.idleSeconds * 1000);
      out.idleCpuMsPer10s = ((f.cpuSeconds() - c0) * 1000 * 10) / steps.idleSeconds;
    }
    if (steps.crashes > 0) {
      out.crashMs = [];
      for (let k = 0; k < steps.crashes; k++) {
        out.crashMs.push(await f.crash(Math.floor((n * (k + 0.5)) / steps.crashes), 30_000));
        await sleep(300);
      }
    }
    if (steps.end === 'stopall') out.stopAllMs = await f.stopAll(120_000);
    else if (steps.end === 'shutdown') out.shutdownMs = await f.shutdown(120_000);
  } catch (e) {
    out.error = e instanceof Error ? e.message : String(e);
    log(`${system} N=${n}: ${out.error}`);
  } finally {
    out.leftovers = await f.cleanup();
  }
  return out;
}
