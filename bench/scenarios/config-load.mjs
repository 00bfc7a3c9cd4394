// Scenario: load a config of many programs spread over included files, each system as a whole process:
// `svd validate -c` against supervisor's own ServerOptions.realize on the same files.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeLoadCorpus } from '../lib/config-gen.mjs';
import { ROOT } from '../lib/daemon.mjs';

const PYTHON = '/usr/bin/python3';
const SUPERVISOR_LOAD = [
  'import sys',
  'from supervisor.options import ServerOptions',
  'o = ServerOptions()',
  "o.realize(['-c', sys.argv[1]])",
  'print(sum(len(g.process_configs) for g in o.process_group_configs))',
].join('\n');

function timed(cmd, args) {
  const t = performance.now();
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 300_000 });
  return { ms: performance.now() - t, status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function loadWith(system, conf, programs) {
  if (system === 'svd') {
    const r = timed(process.execPath, [join(ROOT, 'dist/src/cli/bin/svd.js'), 'validate', '-c', conf]);
    if (r.status !== 0 || !r.stdout.includes(`${programs} processes`))
      throw new Error(`svd validate failed (${r.status}): ${(r.stdout + r.stderr).slice(0, 300)}`);
    return r.ms;
  }
  const r = timed(PYTHON, ['-c', SUPERVISOR_LOAD, conf]);
  if (r.status !== 0 || r.stdout.trim() !== String(programs))
    throw new Error(`supervisor load failed (${r.status}): ${(r.stdout + r.stderr).slice(0, 300)}`);
  return r.ms;
}

/** {svd: ms[], supervisor: ms[]}, alternating which goes first. */
export function runConfigLoad({ programs, files, reps, log }) {
  const dir = mkdtempSync(join(tmpdir(), 'svd-bench-load-'));
  try {
    const conf = writeLoadCorpus({ dir, programs, files });
    const out = { svd: [], supervisor: [], errors: [] };
    for (let rep = 0; rep < reps; rep++) {
      const order = rep % 2 === 0 ? ['svd', 'supervisor'] : ['supervisor', 'svd'];
      for (const system of order) {
        try {
          out[system].push(loadWith(system, conf, programs));
        } catch (e) {
          out.errors.push(e.message);
          log(e.message);
        }
      }
    }
    log(
      `config load of ${programs} programs: svd ${out.svd.map((x) => x.toFixed(0)).join(', ')} ms; ` +
        `supervisor ${out.supervisor.map((x) => x.toFixed(0)).join(', ')} ms`,
    );
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
