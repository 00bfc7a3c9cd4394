// Signals blocked or ignored where the daemon itself was started (a launcher's mask, a SIGUSR1 ignored):
// supervisord forks and execs without touching them, so its children start with them blocked or ignored; svd's
// children start with none blocked and every one at its default, whichever spawner (README's table).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { eventually } from '../support/cleanup.js';
import { childLog, sideBySide } from '../support/control-daemon.js';
import { supervisorMissing as skip } from '../support/oracle.js';

// Blocks SIGUSR2, SIGALRM and SIGWINCH and ignores SIGUSR1 and SIGTSTP, then execs the daemon's command line.
const launcher = [
  '/usr/bin/python3',
  '-c',
  [
    'import os, signal, sys',
    'signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGUSR2, signal.SIGALRM, signal.SIGWINCH})',
    'signal.signal(signal.SIGUSR1, signal.SIG_IGN)',
    'signal.signal(signal.SIGTSTP, signal.SIG_IGN)',
    'os.execvp(sys.argv[1], sys.argv[1:])',
  ].join('\n'),
];

// The shell reads its own status with builtins: a command it forks would not do (dash clears the mask of its
// commands, and blocks every signal while it waits for one). dash itself blocks and ignores nothing in a script.
const body = `
[program:mask]
command=/bin/sh -c 'while read k v; do case $k in SigBlk:|SigIgn:) echo "$k $v";; esac; done < /proc/self/status; exec sleep 1000'
startsecs=0
`;

const daemons = sideBySide({ body, launcher }, { skip });

/** SigBlk and SigIgn of the program's shell as numbers. */
async function masks(d: ReturnType<typeof daemons>[number]): Promise<{ blocked: bigint; ignored: bigint }> {
  await eventually(() => childLog(d, 'mask').includes('SigIgn'), 20_000, `${d.kind}: the masks`);
  const field = (name: string) =>
    BigInt(`0x${new RegExp(`^${name}:\\s*([0-9a-f]+)$`, 'm').exec(childLog(d, 'mask'))?.[1]}`);
  return { blocked: field('SigBlk'), ignored: field('SigIgn') };
}

const bit = (signal: number) => 1n << BigInt(signal - 1);

test(
  "a child starts with no signal blocked or ignored, whatever the daemon's launcher left blocked or ignored",
  { skip, timeout: 60_000 },
  async () => {
    const [real, svd] = daemons();
    assert.deepEqual(await masks(svd), { blocked: 0n, ignored: 0n });
    // supervisord's children keep the launcher's mask, and SIGUSR1 and SIGTSTP ignored (SIGPIPE and SIGXFSZ too:
    // Python ignores them at start, another row of the table).
    const theirs = await masks(real);
    for (const n of [12, 14, 28]) assert.ok(theirs.blocked & bit(n), `signal ${n} blocked under supervisord`);
    for (const n of [10, 20]) assert.ok(theirs.ignored & bit(n), `signal ${n} ignored under supervisord`);
  },
);
