// Scenario runner: the bare Node floor for N children, through the same steps as a daemon session.
import { FloorRun } from '../lib/floor.mjs';
import { coldDeadlineMs } from './daemon-session.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export async function runFloorSession({ n, runId, steps, log }) {
  const out = { system: 'floor', n, notes: [] };
  const f = new FloorRun(runId).start(n);
  try {
    out.coldMs = await f.waitReady(coldDeadlineMs(n));
    log(`floor N=${n}: all spawned after ${(out.coldMs / 1000).toFixed(2)} s`);
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
    log(`floor N=${n}: ${out.error}`);
  } finally {
    out.leftovers = await f.cleanup();
  }
  return out;
}
