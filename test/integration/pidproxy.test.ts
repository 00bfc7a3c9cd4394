// pidproxy on real processes: a bash fixture that daemonises, a pidfile in a temp dir, real signals.
import { test, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import {
  existsSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const MAIN = join(root, 'dist/src/pidproxy/main.js');
const RUNNER = join(root, 'test/fixtures/pidproxy/run-with-options.mjs');
const DAEMON = join(root, 'test/fixtures/pidproxy/forking-daemon.sh');
const TEST_TIMEOUT = 20_000;
const DEADLINE_MS = 10_000;

interface Proxy {
  readonly child: ChildProcess;
  readonly stdout: () => string;
  readonly stderr: () => string;
  /** Resolves with the exit status once pidproxy has exited and its output is complete. */
  readonly done: Promise<number | null>;
}

let dir = '';
let pidfile = '';
let record = '';
const groups: number[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'svd-pidproxy-'));
  pidfile = join(dir, 'daemon.pid');
  record = join(dir, 'record');
});

afterEach(async () => {
  // every process a test starts leads its own group: the fixture's daemons stay in pidproxy's group
  for (const pgid of groups) signalGroup(pgid, 'SIGKILL');
  for (const pid of readyPids()) signal(pid, 'SIGKILL');
  const left = await waitFor(() => {
    const live = [...groups.flatMap(groupMembers), ...readyPids().filter(isRunning)];
    return live.length === 0 ? true : undefined;
  }).catch(() => false);
  groups.length = 0;
  rmSync(dir, { recursive: true, force: true });
  assert.equal(left, true, 'processes were left running');
});

function startProxy(args: readonly string[], options?: object): Proxy {
  const argv = options === undefined ? [MAIN, ...args] : [RUNNER, JSON.stringify(options), ...args];
  const child = spawn(process.execPath, argv, {
    cwd: dir,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (child.pid !== undefined) groups.push(child.pid);
  let out = '';
  let err = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  const done = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return { child, stdout: () => out, stderr: () => err, done };
}

async function waitFor<T>(probe: () => T | undefined, what = 'condition'): Promise<T> {
  const deadline = Date.now() + DEADLINE_MS;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Waits until the pidfile holds a whole pid, so a signal never meets it half-written. */
function pidfileWritten(): Promise<true> {
  const written = (): true | undefined =>
    existsSync(pidfile) && /^\d+\n$/.test(readFileSync(pidfile, 'utf8')) ? true : undefined;
  return waitFor(written, 'the pidfile');
}

/** Live processes whose parent is `ppid`. */
function childrenOf(ppid: number): number[] {
  return readdirSync('/proc')
    .filter((e) => /^\d+$/.test(e))
    .filter((e) => {
      try {
        const stat = readFileSync(`/proc/${e}/stat`, 'utf8');
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        return Number(fields[1]) === ppid && fields[0] !== 'Z' && fields[0] !== 'X';
      } catch {
        return false;
      }
    })
    .map(Number);
}

function recordLines(): string[] {
  return existsSync(record) ? readFileSync(record, 'utf8').split('\n').filter(Boolean) : [];
}

function readyPids(): number[] {
  return recordLines()
    .filter((l) => l.startsWith('ready '))
    .map((l) => Number(l.slice(6)));
}

/** Waits for the fixture's daemon to announce itself and returns its pid. */
function daemonReady(): Promise<number> {
  return waitFor(() => readyPids()[0], 'the daemon to start');
}

function recorded(line: string): Promise<true> {
  return waitFor(() => (recordLines().includes(line) ? true : undefined), `the daemon to record ${line}`);
}

function isRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^[ZX]$/.test(stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3));
  } catch {
    return false;
  }
}

function groupMembers(pgid: number): number[] {
  const members: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[2]) === pgid && fields[0] !== 'Z' && fields[0] !== 'X') members.push(Number(entry));
    } catch {
      // gone while we looked
    }
  }
  return members;
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // already gone
  }
}

function signalGroup(pgid: number, sig: NodeJS.Signals): void {
  signal(-pgid, sig);
}

function proxyPid(proxy: Proxy): number {
  assert.ok(proxy.child.pid !== undefined);
  return proxy.child.pid;
}

test(
  "fewer than two arguments: supervisor's usage text on stdout, status 1",
  { timeout: TEST_TIMEOUT },
  async () => {
    for (const args of [[], ['only-a-pidfile']]) {
      const proxy = startProxy(args);
      assert.equal(await proxy.done, 1);
      assert.match(proxy.stdout(), /^pidproxy -- run command and proxy signals to it via its pidfile\.\n/);
      assert.ok(proxy.stdout().endsWith('Usage: pidproxy <pidfile name> <command> [<cmdarg1> ...]\n\n'));
    }
  },
);

test(
  "usage text matches supervisor's pidproxy byte for byte",
  {
    timeout: TEST_TIMEOUT,
    skip: !existsSync('/usr/bin/pidproxy') && "supervisor's pidproxy is not installed",
  },
  async () => {
    const theirs = spawnSync('/usr/bin/pidproxy', [], { encoding: 'utf8', timeout: DEADLINE_MS });
    const proxy = startProxy([]);
    assert.equal(await proxy.done, theirs.status);
    assert.equal(proxy.stdout(), theirs.stdout.replace('/usr/bin/pidproxy', 'pidproxy'));
  },
);

test(
  'TERM, HUP and USR1 reach the daemon; pidproxy exits only after the daemon has',
  { timeout: TEST_TIMEOUT },
  async () => {
    // `bash` has no slash and is not in the temp dir, so this also runs the PATH fallback
    const proxy = startProxy([pidfile, 'bash', DAEMON, pidfile, record]);
    const daemon = await daemonReady();
    await pidfileWritten();
    for (const sig of ['HUP', 'USR1'] as const) {
      signal(proxyPid(proxy), `SIG${sig}`);
      await recorded(sig);
    }
    assert.equal(proxy.child.exitCode, null, 'HUP and USR1 do not end pidproxy');
    signal(proxyPid(proxy), 'SIGTERM');
    await recorded('TERM');
    assert.equal(await proxy.done, 0);
    assert.equal(isRunning(daemon), false, 'pidproxy exited while the daemon was still shutting down');
    assert.equal(proxy.stdout(), '');
    assert.equal(proxy.stderr(), '');
  },
);

test('pidproxy exits when the daemon exits on its own', { timeout: TEST_TIMEOUT }, async () => {
  const proxy = startProxy([pidfile, DAEMON, pidfile, record]);
  const daemon = await daemonReady();
  // HUP through pidproxy proves it has found the daemon before the daemon goes away
  await pidfileWritten();
  signal(proxyPid(proxy), 'SIGHUP');
  await recorded('HUP');
  await waitFor(() => (childrenOf(proxyPid(proxy)).length === 0 ? true : undefined), 'the command to exit');
  assert.equal(proxy.child.exitCode, null, 'pidproxy exited with its command, not with the daemon');
  signal(daemon, 'SIGKILL');
  assert.equal(await proxy.done, 0);
});

test(
  "an unreadable pidfile at signal time: supervisor's message, and the command itself gets the signal",
  { timeout: TEST_TIMEOUT },
  async () => {
    // "stay" never writes the pidfile and records signals in the command's own process
    const proxy = startProxy(['daemon.pid', DAEMON, pidfile, record, 'stay']);
    await daemonReady();
    signal(proxyPid(proxy), 'SIGUSR1');
    await recorded('USR1');
    await waitFor(() =>
      proxy.stdout().includes("Can't read child pidfile daemon.pid!\n") ? true : undefined,
    );
    signal(proxyPid(proxy), 'SIGTERM');
    await recorded('TERM');
    assert.equal(await proxy.done, 0);
    assert.match(proxy.stderr(), /sending SIGUSR1 to .*forking-daemon\.sh \(pid \d+\) instead/);
  },
);

test(
  'a pidfile removed while the daemon runs: the message, and the daemon still gets the signal',
  { timeout: TEST_TIMEOUT },
  async () => {
    const proxy = startProxy([pidfile, DAEMON, pidfile, record]);
    const daemon = await daemonReady();
    await pidfileWritten();
    signal(proxyPid(proxy), 'SIGHUP');
    await recorded('HUP');
    unlinkSync(pidfile);
    signal(proxyPid(proxy), 'SIGUSR2');
    await recorded('USR2');
    assert.ok(proxy.stdout().includes(`Can't read child pidfile ${pidfile}!\n`));
    assert.ok(proxy.stderr().includes(`sending SIGUSR2 to pid ${daemon} instead`));
    signal(proxyPid(proxy), 'SIGTERM');
    assert.equal(await proxy.done, 0);
  },
);

test(
  'a command that cannot be run: one line on stderr and status 127',
  { timeout: TEST_TIMEOUT },
  async () => {
    const proxy = startProxy([pidfile, join(dir, 'no-such-command')]);
    assert.equal(await proxy.done, 127);
    assert.equal(
      proxy.stderr(),
      `pidproxy: can't run ${join(dir, 'no-such-command')}: no such file or directory\n`,
    );
  },
);

test(
  'a command that fails before writing the pidfile: its status and one line',
  { timeout: TEST_TIMEOUT },
  async () => {
    const proxy = startProxy([pidfile, DAEMON, pidfile, record, 'exit', '3']);
    assert.equal(await proxy.done, 3);
    assert.equal(
      proxy.stderr(),
      `pidproxy: ${DAEMON} exited with status 3 and ${pidfile} names no running process\n`,
    );
  },
);

test(
  'a command that exits 0 and never writes the pidfile: pidproxy gives up after the grace period',
  { timeout: TEST_TIMEOUT },
  async () => {
    const proxy = startProxy([pidfile, DAEMON, pidfile, record, 'exit', '0'], {
      pidfileGraceMs: 300,
      pollIntervalMs: 50,
    });
    assert.equal(await proxy.done, 0);
    assert.match(
      proxy.stderr(),
      /exited with status 0 and .* names no running process after waiting 0\.3s\n$/,
    );
  },
);

test(
  'a leftover pidfile naming an unrelated live process: that process is never signalled',
  { timeout: TEST_TIMEOUT },
  async () => {
    const bystander = spawn('sleep', ['60'], { detached: true, stdio: 'ignore' });
    assert.ok(bystander.pid !== undefined);
    groups.push(bystander.pid);
    writeFileSync(pidfile, `${bystander.pid}\n`);
    const proxy = startProxy([pidfile, DAEMON, pidfile, record, 'stay']);
    await daemonReady();
    signal(proxyPid(proxy), 'SIGHUP');
    await recorded('HUP');
    signal(proxyPid(proxy), 'SIGTERM');
    assert.equal(await proxy.done, 0);
    assert.equal(isRunning(bystander.pid), true, 'HUP or TERM reached the bystander');
    assert.ok(proxy.stderr().includes(`not trusting pid ${bystander.pid}`));
  },
);

test(
  "a foreground wrapper like mysqld_safe: the daemon gets TERM and pidproxy takes the wrapper's status",
  { timeout: TEST_TIMEOUT },
  async () => {
    const proxy = startProxy([pidfile, DAEMON, pidfile, record, 'foreground']);
    const daemon = await daemonReady();
    await pidfileWritten();
    signal(proxyPid(proxy), 'SIGTERM');
    await recorded('TERM');
    assert.equal(await proxy.done, 7);
    assert.equal(isRunning(daemon), false);
  },
);
