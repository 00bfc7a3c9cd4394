// Three daemons on the same config for ctl comparisons: Debian's supervisord driven by its supervisorctl,
// svd's daemon driven by Debian's supervisorctl, and svd's daemon driven by svd ctl. Outputs are masked for
// pids, times and paths; everything else must be equal (spec §5).
import assert from 'node:assert/strict';
import { eventually } from './cleanup.js';
import { childLog, daemonsPerFile, mask, type ControlDaemon, type RunResult } from './control-daemon.js';
import { supervisorMissing } from './oracle.js';
import { fixture } from './real-engine.js';

/** The programs every comparison starts from; `sleeperArgs` edits sleeper's command line. */
export const programs = (sleeperArgs = ''): string => `
[program:sleeper]
command=${fixture('sleep-forever')}${sleeperArgs}
startsecs=0

[program:nolog]
command=${fixture('sleep-forever')}
autostart=false
startsecs=0
stdout_logfile=NONE

[program:broken]
command=/nonexist/prog
autostart=false

[group:grp]
programs=ga,gb
priority=5

[program:ga]
command=${fixture('sleep-forever')}
startsecs=0
priority=2

[program:gb]
command=${fixture('sleep-forever')}
startsecs=0
priority=1
`;

export interface StepOptions {
  /** Lines may come in another order (results in completion order). */
  readonly unordered?: boolean;
  /** Only this much of the output must be equal (error texts that name svd's own diagnostics). */
  readonly prefix?: number;
  /**
   * What svd ctl prints instead, where svd deliberately differs (its update is the minimal one): the exact
   * output of a transcript step, or the start of a one-shot's output with its exit status.
   */
  readonly svdCtl?: string | { readonly startsWith: string; readonly code: number };
}

export type Step = string | [string, StepOptions];

export interface Trio {
  /** supervisord, svd for supervisorctl, svd for svd ctl. */
  daemons(): ControlDaemon[];
  /**
   * Feeds the steps to each client's shell (one process per client: starting Python's supervisorctl for every
   * line is slow on a busy machine) and compares the output of every line with supervisorctl's against
   * supervisord's.
   */
  sameTranscript(steps: readonly Step[]): Promise<void>;
  /** One-shot runs: the exit statuses of §5.2 as well as stdout and stderr. */
  sameOneShot(line: string, o?: StepOptions): Promise<void>;
}

const PROMPT = 'supervisor> ';

function normal(text: string, d: ControlDaemon, o: StepOptions): string {
  let out = mask(text, d.dir);
  if (o.unordered) out = out.split('\n').sort().join('\n');
  if (o.prefix !== undefined) out = out.slice(0, o.prefix);
  return out;
}

/** Waits until `status` shows `count` RUNNING processes and none STARTING. */
export async function running(d: ControlDaemon, count: number): Promise<void> {
  let last = '';
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    last = (await d.supervisorctl(['status'])).stdout;
    if ((last.match(/ RUNNING /g) ?? []).length === count && !last.includes('STARTING')) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${d.kind}: not ${count} RUNNING:\n${last}`);
}

/**
 * Waits until sleeper's line (`ready`) is in its AUTO stdout log, which `tail` and the log reads answer with:
 * RUNNING at startsecs=0 comes before the child's output.
 */
export async function sleeperReady(d: ControlDaemon): Promise<void> {
  await eventually(
    () => childLog(d, 'sleeper') === 'ready\n',
    30_000,
    `${d.kind}: sleeper's line in its log`,
  );
}

/** Registers before/after hooks that start the three daemons on `programs()` and stop them, leaving nothing. */
export function threeDaemons(): Trio {
  const all = daemonsPerFile(
    [
      ['supervisord', { body: programs() }],
      ['svd', { body: programs() }],
      ['svd', { body: programs() }],
    ],
    {
      skip: supervisorMissing,
      ready: async (d) => {
        await running(d, 3);
        await sleeperReady(d);
      },
    },
  );

  return {
    daemons: all,
    async sameTranscript(steps) {
      const [r, s, c] = all();
      const lines = steps.map((x) => (typeof x === 'string' ? x : x[0]));
      const options = steps.map((x) => (typeof x === 'string' ? {} : x[1]));
      const input = `${lines.join('\n')}\n`;
      const [a, b, d] = await Promise.all([
        r.supervisorctl([], input),
        s.supervisorctl([], input),
        c.svdctl([], input),
      ]);
      // The first segment is the shell's opening `status`; the others follow each prompt.
      const segments = (run: RunResult, daemon: ControlDaemon): string[] =>
        run.stdout.split(PROMPT).map((seg, i) => normal(seg, daemon, i === 0 ? {} : (options[i - 1] ?? {})));
      const expected = segments(a, r);
      assert.ok(expected.length >= lines.length, a.stdout);
      const viaSupervisorctl = segments(b, s);
      const viaSvdCtl = segments(d, c);
      expected.forEach((want, i) => {
        const what = i === 0 ? '(the opening status)' : lines[i - 1];
        const own = i === 0 ? undefined : options[i - 1]?.svdCtl;
        assert.equal(viaSupervisorctl[i], want, `supervisorctl against svd: ${what}`);
        assert.equal(viaSvdCtl[i], typeof own === 'string' ? own : want, `svd ctl: ${what}`);
      });
      assert.equal(viaSupervisorctl.length, expected.length);
      assert.equal(viaSvdCtl.length, expected.length);
      assert.deepEqual([b.code, d.code], [a.code, a.code]);
    },
    async sameOneShot(line, o = {}) {
      const [r, s, c] = all();
      const args = line.split(' ');
      const [a, b, d] = await Promise.all([r.supervisorctl(args), s.supervisorctl(args), c.svdctl(args)]);
      const view = (run: RunResult, daemon: ControlDaemon) => ({
        out: normal(run.stdout, daemon, o),
        err: mask(run.stderr, daemon.dir),
        code: run.code,
      });
      const expected = view(a, r);
      assert.deepEqual(view(b, s), expected, `supervisorctl ${line} against svd`);
      const own = o.svdCtl;
      if (own !== undefined && typeof own !== 'string') {
        assert.ok(d.stdout.startsWith(own.startsWith), `svd ctl ${line}: ${d.stdout}`);
        assert.equal(d.code, own.code, `svd ctl ${line}: exit status`);
      } else assert.deepEqual(view(d, c), expected, `svd ctl ${line}`);
    },
  };
}
