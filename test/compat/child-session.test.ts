// A child's process group and session, under svd and under Debian's supervisord, each daemon run with -n in a
// terminal of its own: supervisor's child calls setpgrp(), so it leads its own process group in the daemon's
// session and can open /dev/tty. svd's native spawner does the same; node:child_process (the fallback) can
// only setsid (README: a deliberate difference for that spawner alone).
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nativeSpawnAvailable } from '../../src/adapters/native-spawn.js';
import { eventually } from '../support/cleanup.js';
import { svdBin } from '../support/paths.js';
import { supervisorMissing } from '../support/oracle.js';

const dir = mkdtempSync(join(tmpdir(), 'svd-child-session-'));
const terminals: ChildProcess[] = [];
const daemons: number[] = [];

const hasScript = spawnSync('script', ['--version'], { stdio: 'ignore' }).status === 0;
const skip = supervisorMissing || (hasScript ? false : "util-linux's script(1) is not installed");

after(async () => {
  for (const pid of daemons) {
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      // Gone already.
    }
  }
  await eventually(
    () => terminals.every((t) => t.exitCode !== null || t.signalCode !== null),
    15_000,
    'the daemons gone',
  ).catch(() => {
    for (const t of terminals) t.kill('SIGKILL');
  });
  rmSync(dir, { recursive: true, force: true });
});

// pid, process group, session of the program, and whether it could open its controlling terminal.
const probe = join(dir, 'probe.sh');
writeFileSync(
  probe,
  [
    '#!/bin/sh',
    'set -- $(cut -d" " -f5,6 /proc/$$/stat)',
    'if (: </dev/tty) 2>/dev/null; then t=tty; else t=no-tty; fi',
    'echo "$$ $1 $2 $t" > "$OUT.tmp" && mv "$OUT.tmp" "$OUT"',
    'exec sleep 1000',
    '',
  ].join('\n'),
);
chmodSync(probe, 0o755);

function statFields(pid: number): string[] {
  const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return text.slice(text.lastIndexOf(')') + 2).split(' ');
}

/** Runs a daemon with -n inside script(1)'s terminal; resolves with its probe's line and the daemon's session. */
async function runInTerminal(
  name: string,
  command: string,
): Promise<{ probe: string[]; daemonSession: string }> {
  const out = join(dir, `${name}.out`);
  const pidfile = join(dir, `${name}.pid`);
  const conf = join(dir, `${name}.conf`);
  writeFileSync(
    conf,
    `[unix_http_server]
file=${join(dir, `${name}.sock`)}
[supervisord]
pidfile=${pidfile}
logfile=${join(dir, `${name}.log`)}
childlogdir=${dir}
[rpcinterface:supervisor]
supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface
[program:probe]
command=${probe}
environment=OUT="${out}"
startsecs=0
`,
  );
  const terminal = spawn('script', ['-qfec', `${command} -c ${conf}`, '/dev/null'], {
    stdio: ['pipe', 'ignore', 'ignore'],
    timeout: 30_000,
  });
  terminals.push(terminal);
  await eventually(() => existsSync(out) && existsSync(pidfile), 15_000, `${name}'s probe ran`);
  const daemonPid = Number(readFileSync(pidfile, 'utf8').trim());
  daemons.push(daemonPid);
  return {
    probe: readFileSync(out, 'utf8').trim().split(' '),
    daemonSession: statFields(daemonPid)[3] ?? '',
  };
}

test(
  "a child leads its own process group in the daemon's session, and reaches the daemon's terminal",
  { skip: skip || (nativeSpawnAvailable() ? false : 'the native spawner is not built here') },
  async () => {
    const [sup, svd] = await Promise.all([
      runInTerminal('supervisord', '/usr/bin/supervisord -n'),
      runInTerminal('svd', `${process.execPath} ${svdBin} daemon -n`),
    ]);
    for (const [who, r] of [
      ['supervisord', sup],
      ['svd', svd],
    ] as const) {
      const [pid, pgrp, session, tty] = r.probe;
      assert.equal(pgrp, pid, `${who}: the child leads its own process group`);
      assert.equal(session, r.daemonSession, `${who}: the child is in the daemon's session`);
      assert.equal(tty, 'tty', `${who}: the child opens /dev/tty`);
    }
  },
);
