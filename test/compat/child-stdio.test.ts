// What a child finds on its standard streams, under svd and under Debian's supervisord: pipes, so that a
// program configured to write to /dev/stdout or /dev/stderr (nginx, php-fpm, apache in containers) can open
// them. Node's own spawn hands out socketpairs, which open(2) refuses with ENXIO.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nativeSpawnAvailable } from '../../src/adapters/native-spawn.js';
import { eventually } from '../support/cleanup.js';
import { childLog, sideBySide, type ControlDaemon, type DaemonKind } from '../support/control-daemon.js';
import { supervisorMissing as skip } from '../support/oracle.js';

// Each line says what the program tried and how it went; the sleep keeps it RUNNING until the daemon stops.
const reopen = [
  'for f in /dev/stdin /dev/stdout /dev/stderr; do if [ -p $f ]; then echo "$f is a pipe"; else echo "$f is no pipe"; fi; done',
  'echo through-dev-stdout > /dev/stdout || echo "no /dev/stdout"',
  'echo through-dev-stderr > /dev/stderr || echo "no /dev/stderr"',
  'echo through-proc > /proc/self/fd/1 || echo "no /proc/self/fd/1"',
  'echo done',
  'exec sleep 1000',
].join('; ');

// As root, a program that runs as nobody: supervisord's pipe is root's (mode 0600), so it cannot reopen it;
// svd's FIFO is 0666, reachable through /proc by the child alone (README: a deliberate difference).
const asRoot = process.getuid?.() === 0;
const asNobody = `
[program:asnobody]
command=/bin/sh -c 'echo as-nobody > /dev/stdout || echo "no /dev/stdout"; exec sleep 1000'
startsecs=0
user=nobody
`;

// A script saved with Windows line ends: its '#!/bin/sh\r' names an interpreter that does not exist, so the
// exec fails with ENOENT although the command itself is there.
const scripts = mkdtempSync(join(tmpdir(), 'svd-child-exec-'));
const crlf = join(scripts, 'crlf.sh');
writeFileSync(crlf, '#!/bin/sh\r\necho never\r\n');
chmodSync(crlf, 0o755);
// No #! line: execve fails with ENOEXEC; execvp (node:child_process, the fallback spawner) would run it with sh.
const noShebang = join(scripts, 'no-shebang');
writeFileSync(noShebang, 'echo never\n');
chmodSync(noShebang, 0o755);

// A script only root may run, in a folder only root may enter (mkdtemp's 0700): run as nobody, its exec fails
// with EACCES, directly and after a chdir.
const rootOnly = join(scripts, 'root-only.sh');
writeFileSync(rootOnly, '#!/bin/sh\necho never\n');
chmodSync(rootOnly, 0o700);
const denied = `
[program:denied]
command=${rootOnly}
startsecs=0
startretries=0
autorestart=false
user=nobody
[program:denieddir]
command=${rootOnly}
directory=/tmp
startsecs=0
startretries=0
autorestart=false
user=nobody
`;

const body = `
[program:noshebang]
command=${noShebang}
startsecs=0
startretries=0
autorestart=false
[program:crlf]
command=${crlf}
startsecs=0
startretries=0
autorestart=false
[program:crlfpath]
command=crlf.sh
environment=PATH="${scripts}:/usr/bin:/bin"
startsecs=0
startretries=0
autorestart=false
[program:e2big]
command=/bin/true
environment=BIG="${'x'.repeat(140_000)}"
startsecs=0
startretries=0
autorestart=false
[program:separate]
command=/bin/sh -c '${reopen}'
startsecs=0
[program:merged]
command=/bin/sh -c '${reopen}'
startsecs=0
redirect_stderr=true
${asRoot ? asNobody + denied : ''}`;

const daemons = sideBySide({ body }, { skip });

after(() => rmSync(scripts, { recursive: true, force: true }));

function daemonOf(kind: DaemonKind): ControlDaemon {
  const [real, svd] = daemons();
  return kind === 'svd' ? svd : real;
}

async function logsOf(kind: DaemonKind): Promise<Record<string, string>> {
  const d = daemonOf(kind);
  const done = () => childLog(d, 'separate').includes('done') && childLog(d, 'merged').includes('done');
  await eventually(done, 20_000, `${kind}: both programs to finish writing`);
  return {
    'separate stdout': childLog(d, 'separate'),
    'separate stderr': childLog(d, 'separate', 'stderr'),
    merged: childLog(d, 'merged'),
  };
}

test(
  'a child reopens /dev/stdout, /dev/stderr and /proc/self/fd/1 and finds pipes, as under supervisord',
  { skip },
  async () => {
    const svd = await logsOf('svd');
    assert.deepEqual(svd, await logsOf('supervisord'));
    const lines = [
      '/dev/stdin is a pipe',
      '/dev/stdout is a pipe',
      '/dev/stderr is a pipe',
      'through-dev-stdout',
      'through-proc',
      'done',
      '',
    ];
    assert.equal(svd['separate stdout'], lines.join('\n'));
    assert.equal(svd['separate stderr'], 'through-dev-stderr\n');
    // One pipe for both streams: the line written to /dev/stderr lands among the others, in order.
    assert.equal(svd['merged'], [...lines.slice(0, 4), 'through-dev-stderr', ...lines.slice(4)].join('\n'));
  },
);

test(
  'a user= child can reopen its own /dev/stdout under svd, where supervisord refuses it',
  { skip: skip || (!asRoot && 'needs root (user=nobody)') },
  async () => {
    const logs = async (kind: DaemonKind, stderr: boolean): Promise<[string, string]> => {
      const d = daemonOf(kind);
      const out = () => childLog(d, 'asnobody');
      const err = () => childLog(d, 'asnobody', 'stderr');
      await eventually(
        () => out().endsWith('\n') && (!stderr || err().endsWith('\n')),
        20_000,
        `${kind}: asnobody`,
      );
      return [out(), err()];
    };
    assert.deepEqual(await logs('svd', false), ['as-nobody\n', '']);
    const [out, err] = await logs('supervisord', true);
    assert.equal(out, 'no /dev/stdout\n');
    assert.match(err, /cannot create \/dev\/stdout: Permission denied/);
  },
);

test(
  "a command whose exec fails (a CRLF script's '#!/bin/sh\\r', a script without '#!', an environment too large) is reported as supervisord's child reports it",
  { skip },
  async () => {
    for (const kind of ['svd', 'supervisord'] as const) {
      const d = daemonOf(kind);
      await eventually(
        () => d.mainLog().includes('exited: crlf (exit status 127; not expected)'),
        20_000,
        `${kind}: crlf to exit`,
      );
      assert.equal(
        childLog(d, 'crlf', 'stderr'),
        `supervisor: couldn't exec ${crlf}: ENOENT\nsupervisor: child process was not spawned\n`,
        kind,
      );
      /** The stderr log of a program whose exec failed: supervisor's two lines, naming the command as written. */
      const execFailed = async (name: string, command: string, errno: string) => {
        await eventually(() => childLog(d, name, 'stderr') !== '', 20_000, `${kind}: ${name} to exit`);
        assert.equal(
          childLog(d, name, 'stderr'),
          `supervisor: couldn't exec ${command}: ${errno}\nsupervisor: child process was not spawned\n`,
          kind,
        );
      };
      // A command found on PATH is named as written, not as found.
      await execFailed('crlfpath', 'crlf.sh', 'ENOENT');
      if (kind === 'supervisord' || nativeSpawnAvailable())
        await execFailed('noshebang', noShebang, 'ENOEXEC');
      // One value beyond the kernel's 128 KiB for a string of the environment: the exec fails with E2BIG.
      await execFailed('e2big', '/bin/true', 'E2BIG');
      // No spawn error of its own: the process ran, and its exit is what failed it.
      assert.doesNotMatch(d.mainLog(), /spawnerr: can't find command/, kind);
    }
  },
);

test(
  "a user= program its user may not execute fails as supervisord's child fails, never running as that user",
  { skip: skip || (!asRoot && 'needs root (user=nobody)') },
  async () => {
    for (const kind of ['svd', 'supervisord'] as const) {
      const d = daemonOf(kind);
      for (const name of ['denied', 'denieddir']) {
        await eventually(
          () => d.mainLog().includes(`exited: ${name} (exit status 127; not expected)`),
          20_000,
          `${kind}: ${name} to exit`,
        );
        assert.equal(
          childLog(d, name, 'stderr'),
          `supervisor: couldn't exec ${rootOnly}: EACCES\nsupervisor: child process was not spawned\n`,
          `${kind} ${name}`,
        );
      }
    }
  },
);
