// Scenario: the web page at 1,000 processes, measured by bench/web-1000.mjs (the web helper's script) when it
// exists. It prints one JSON object; each `<name>_ms` member, a number or {median, min, max, samples}, becomes
// an svd-only figure.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../lib/daemon.mjs';
import { summarize } from '../lib/stats.mjs';

const SCRIPT = join(ROOT, 'bench/web-1000.mjs');

function asSummary(v) {
  if (typeof v === 'number') return summarize([v]);
  if (Array.isArray(v)) return summarize(v);
  if (v && typeof v.median === 'number')
    return { n: v.samples?.length ?? 1, median: v.median, min: v.min ?? v.median, max: v.max ?? v.median };
  return null;
}

export async function runWebBench({ log, timeoutMs = 600_000 }) {
  if (!existsSync(SCRIPT)) return { note: 'web page: bench/web-1000.mjs does not exist yet (pending)' };
  log('web page: running bench/web-1000.mjs');
  const { code, stdout } = await new Promise((resolve) => {
    const cp = spawn(process.execPath, [SCRIPT], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    const out = [];
    cp.stdout.on('data', (c) => out.push(c));
    const timer = setTimeout(() => cp.kill('SIGKILL'), timeoutMs);
    cp.on('exit', (c) => {
      clearTimeout(timer);
      resolve({ code: c, stdout: Buffer.concat(out).toString('utf8') });
    });
  });
  let parsed = null;
  try {
    parsed = JSON.parse(stdout);
  } catch {
    // not JSON: keep the text
  }
  if (code !== 0 || parsed === null || typeof parsed !== 'object')
    return {
      code,
      output: stdout.slice(-4000),
      note: `web page: bench/web-1000.mjs exit ${code}; output kept in the JSON`,
    };
  const figures = Object.entries(parsed)
    .filter(([k]) => k.endsWith('_ms'))
    .map(([k, v]) => {
      const svd = asSummary(v);
      return {
        def: {
          id: `web-${k}`,
          label: `web, N=${parsed.processes ?? 1000}: ${k.replace(/_ms$/, '').replace(/_/g, ' ')}`,
          unit: 'ms',
          target: {},
        },
        result: { svd, supervisor: null, floor: null, vsSupervisor: null, vsFloor: null, verdict: 'info' },
        note: undefined,
      };
    });
  return { code, raw: parsed, figures };
}
