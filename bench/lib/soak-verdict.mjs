// Pure: the soak run's verdict from its samples and what the harness recorded. Also used by
// `node bench/soak.mjs --judge FILE` to judge a saved results file again.
import { linearFit } from './soak-probe.mjs';

/** Minutes of start-up not judged: the V8 heap and the child logs (backups) fill up first. */
export const WARMUP_MIN = 2;

const mean = (v) => v.reduce((a, b) => a + b, 0) / Math.max(1, v.length);

/**
 * Lines of `ok  ` / `FAIL` checks and notes. `run` holds {samples, shutdown, errors, problems, calls}.
 * A leak is a rise that keeps going: over 50 KiB/min (a 70 MB a day) fitted linearly (r² ≥ 0.6) over the
 * samples after the warm-up, and still over the limit on their last half, so a heap that grows for a few
 * minutes and then holds is reported but not flagged. The floor (the minimum: after a GC) of the first and
 * last thirds is reported beside it.
 */
export function judgeSoak(run) {
  const { samples, shutdown, errors, problems, calls } = run;
  const after = samples.filter((s) => s.min >= WARMUP_MIN && !s.restarting);
  const lastHalf = after.slice(Math.floor(after.length / 2));
  const fit = (rows, key) =>
    linearFit(
      rows.map((s) => s.min),
      rows.map((s) => s[key]),
    );
  const span = (key) => {
    const v = after.map((s) => s[key]);
    return v.length ? `${Math.min(...v)}–${Math.max(...v)}` : '-';
  };
  const third = Math.max(1, Math.floor(after.length / 3));
  const floors = (key) =>
    after.length >= 3
      ? `${Math.min(...after.slice(0, third).map((s) => s[key]))} → ${Math.min(...after.slice(-third).map((s) => s[key]))}`
      : '-';
  // Under 8 samples after the warm-up a slope says nothing: reported, not judged.
  const judged = after.length >= 8;
  const lines = [];
  const check = (ok, text) => lines.push(`${ok ? 'ok  ' : 'FAIL'} ${text}`);
  const slope = (key, limit, unit, digits) => {
    const all = fit(after, key);
    const half = fit(lastHalf, key);
    const leak = judged && all.r2 >= 0.6 && all.slope > limit && half.slope > limit;
    check(
      !leak,
      `${key} slope after ${WARMUP_MIN} min: ${all.slope.toFixed(digits)} ${unit}/min (r² ${all.r2.toFixed(2)}), ` +
        `last half ${half.slope.toFixed(digits)} ${unit}/min; range ${span(key)}; floor first → last third ${floors(key)}`,
    );
    return { slope: all.slope, r2: all.r2, lastHalfSlope: half.slope };
  };
  const rss = slope('rssKb', 50, 'KiB', 1);
  const anon = slope('anonKb', 50, 'KiB', 1);
  const fds = slope('fds', 0.5, 'fds', 2);
  const threads = after.map((s) => s.threads);
  check(Math.max(...threads) - Math.min(...threads) <= 4, `threads ${span('threads')}`);
  const maxOf = (key) => Math.max(0, ...samples.map((s) => s[key]));
  check(maxOf('zombies') === 0, `zombie children (in both snapshots of a sample): max ${maxOf('zombies')}`);
  check(
    maxOf('untracked') === 0,
    `children missing from getAllProcessInfo: max ${maxOf('untracked')}; reported pids not alive: max ${maxOf('phantom')}`,
  );
  check(maxOf('orphans') === 0, `marked processes outside the daemon's tree: max ${maxOf('orphans')}`);
  check(!problems.some((p) => /daemon gone/.test(p.msg)), 'daemon alive at every sample');
  check(errors.length === 0, `every RPC answered (${calls} calls, ${errors.length} unanswered)`);
  check(
    shutdown.exited && shutdown.orphans.length === 0,
    `clean shutdown (SIGTERM): exited ${shutdown.exited} in ${(shutdown.ms / 1000).toFixed(1)} s, ` +
      `marked processes left ${shutdown.orphans.length} (at exit ${shutdown.orphansAtExit})`,
  );
  check(problems.length === 0, `harness checks: ${problems.length} problems`);
  const cpu = samples.filter((s) => s.cpuPct !== null).map((s) => s.cpuPct);
  lines.push(`     daemon CPU: mean ${mean(cpu).toFixed(1)}% of one core, max ${Math.max(0, ...cpu)}%`);
  if (!judged) lines.push(`     (${after.length} samples after the warm-up: slopes not judged, run longer)`);
  return { lines, rss, anon, fds, failed: lines.some((l) => l.startsWith('FAIL')) };
}
