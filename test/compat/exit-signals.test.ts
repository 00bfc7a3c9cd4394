// How the main log words the exit of a child that a signal killed, under Debian's supervisord 4.2.5 and under
// svd's native spawner: a real-time signal is `signal 40` (it has no name), and a signal that dumped core says
// so. node:child_process, the fallback, reports neither (README's table of differences).
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nativeSpawnAvailable } from '../../src/adapters/native-spawn.js';
import { eventually } from '../support/cleanup.js';
import { sideBySide, type ControlDaemon } from '../support/control-daemon.js';
import { supervisorMissing } from '../support/oracle.js';

const skip = supervisorMissing || (!nativeSpawnAvailable() && 'the native spawner is not built');

// Where a dumped core lands when the kernel's core_pattern is a plain name (`core`): removed afterwards.
const cores = mkdtempSync(join(tmpdir(), 'svd-exit-signals-'));
after(() => rmSync(cores, { recursive: true, force: true }));

// Each shell kills itself. The core limit is raised where the hard limit allows; where it does not, neither
// daemon's child dumps core, and the lines still agree.
const body = `
[program:rt]
command=/bin/sh -c 'kill -40 $$'
startsecs=0
autorestart=false
[program:segv]
command=/bin/sh -c 'ulimit -c unlimited 2>/dev/null; kill -SEGV $$'
directory=${cores}
startsecs=0
autorestart=false
[program:term]
command=/bin/sh -c 'kill -TERM $$'
startsecs=0
autorestart=false
`;

const daemons = sideBySide({ body }, { skip });

/** The `exited:` lines of the main log, one a program, sorted by program. */
function exitLines(d: ControlDaemon): string[] {
  return d
    .mainLog()
    .split('\n')
    .map((l) => l.replace(/^\S+ \S+ /, ''))
    .filter((l) => / exited: /.test(l))
    .sort();
}

test(
  "a child killed by a real-time signal or one that dumped core is reported in supervisord's words",
  { skip, timeout: 60_000 },
  async () => {
    const both = daemons();
    for (const d of both) await eventually(() => exitLines(d).length === 3, 20_000, `${d.kind}: three exits`);
    const [theirs = [], ours] = both.map(exitLines);
    assert.deepEqual(ours, theirs);
    assert.equal(theirs[0], 'WARN exited: rt (terminated by signal 40; not expected)');
    assert.match(
      theirs[1] ?? '',
      /^WARN exited: segv \(terminated by SIGSEGV( \(core dumped\))?; not expected\)$/,
    );
  },
);
