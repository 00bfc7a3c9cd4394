// Scenario: the reconciler's plan for 10,000 programs with one changed, in-process, against the time svd
// takes to load that config in the same process (issue target: the plan costs at most 0.1x the load).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeLoadCorpus } from '../lib/config-gen.mjs';
import { ROOT } from '../lib/daemon.mjs';

/** {planMs, loadMs, counts} or {error}. */
export function runPlanChange({ programs, files, reps, log }) {
  const dir = mkdtempSync(join(tmpdir(), 'svd-bench-plan-'));
  try {
    const main = writeLoadCorpus({ dir, programs, files });
    // The fixture changes one program's command in the first included file after loading the original.
    const r = spawnSync(
      process.execPath,
      [join(ROOT, 'bench/fixtures/plan-timing.mjs'), main, join(dir, 'conf.d', 'part000.conf'), String(reps)],
      { encoding: 'utf8', timeout: 600_000 },
    );
    if (r.status !== 0)
      throw new Error(`plan timing failed (${r.status}): ${(r.stderr || r.stdout).slice(0, 300)}`);
    const out = JSON.parse(r.stdout.trim().split('\n').pop());
    log(
      `plan of 1 change among ${programs}: ${out.planMs.map((x) => x.toFixed(1)).join(', ')} ms; ` +
        `load ${out.loadMs.map((x) => x.toFixed(0)).join(', ')} ms; restart ${out.counts.restart}`,
    );
    return out;
  } catch (e) {
    log(e.message);
    return { error: e.message };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
