// svd ctl (and Debian's supervisorctl where it matters) in sessions against svd's daemon: tail -f and
// maintail -f until Ctrl-C, fg with typed lines, the shell's prompt, its 401 prompt and y/N questions,
// --json views, the top-level commands, usage errors, reload.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually } from '../support/cleanup.js';
import {
  alive,
  childLog,
  descendants,
  run,
  startControlDaemon,
  type ControlDaemon,
  allStarted,
} from '../support/control-daemon.js';
import { supervisorMissing } from '../support/oracle.js';
import { fixturesDir, svdBin } from '../support/paths.js';
import { fixture } from '../support/real-engine.js';

let d: ControlDaemon;
let secured: ControlDaemon;
const children: number[] = [];
const sessions: ChildProcessWithoutNullStreams[] = [];
const scratch = mkdtempSync(join(tmpdir(), 'svd-ctl-session-'));

before(async () => {
  [d, secured] = await allStarted([
    startControlDaemon('svd', {
      body:
        `[program:sleeper]\ncommand=${fixture('sleep-forever')}\nstartsecs=0\n` +
        `[program:echo]\ncommand=/bin/cat\nstartsecs=0\nredirect_stderr=true\n` +
        `[program:trapper]\ncommand=${fixture('ignore-term')}\nstartsecs=0\nstopwaitsecs=60\nautostart=false\n`,
      supervisord: 'loglevel=info',
    }),
    startControlDaemon('svd', {
      body: `[program:sleeper]\ncommand=${fixture('sleep-forever')}\nstartsecs=0\n`,
      credentials: { username: 'admin', password: 's3cret' },
    }),
  ]);
  await eventually(() => (d.mainLog().match(/entered RUNNING/g) ?? []).length === 2, 20_000, 'RUNNING');
  children.push(...descendants(d.pid), ...descendants(secured.pid));
});

after(async () => {
  for (const s of sessions) s.kill('SIGKILL');
  await Promise.all([d?.stop(), secured?.stop()]);
  rmSync(scratch, { recursive: true, force: true });
  await eventually(() => alive(children).length === 0, 10_000, 'no process left');
});

interface Session {
  readonly child: ChildProcessWithoutNullStreams;
  output(): string;
  waitFor(text: string): Promise<void>;
  readonly done: Promise<number | null>;
}

/** A client process we talk to while it runs; killed in the after-hook if a test fails. */
function session(command: string, args: readonly string[]): Session {
  const child = spawn(command, [...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  sessions.push(child);
  let out = '';
  child.stdout.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr.on('data', (b: Buffer) => (out += b.toString()));
  const done = new Promise<number | null>((r) => child.on('close', (code) => r(code)));
  return {
    child,
    output: () => out,
    waitFor: (text) => eventually(() => out.includes(text), 20_000, JSON.stringify(text)),
    done,
  };
}

const svdctl = (...args: string[]) => session(process.execPath, [svdBin, 'ctl', '-c', d.conf, ...args]);

test('tail -f follows until Ctrl-C, which prints an empty line; exit 0', { timeout: 60_000 }, async () => {
  const clients = [svdctl('tail', '-f', 'sleeper')];
  if (!supervisorMissing)
    clients.push(session('/usr/bin/supervisorctl', ['-c', d.conf, 'tail', '-f', 'sleeper']));
  for (const [i, s] of clients.entries()) {
    await s.waitFor('ready\n');
    s.child.kill('SIGINT');
    assert.equal(await s.done, 0);
    // supervisorctl sometimes reports the interrupt as `Cannot connect, error: <class 'KeyboardInterrupt'>`
    // (its asyncore loop catches it); svd ctl's output is exact.
    if (i === 0) assert.equal(s.output(), '==> Press Ctrl-C to exit <==\nready\n\n');
    else assert.match(s.output(), /^==> Press Ctrl-C to exit <==\nready\n/);
  }
});

test(
  'maintail -f streams the main log; tail -f of an unknown name reports the 404 on stderr',
  { timeout: 60_000 },
  async () => {
    const s = svdctl('maintail', '-f');
    await s.waitFor('supervisord started with pid');
    s.child.kill('SIGINT');
    assert.equal(await s.done, 0);
    const missing = await run(process.execPath, [svdBin, 'ctl', '-c', d.conf, 'tail', '-f', 'nosuch']);
    assert.equal(missing.code, 0);
    assert.equal(missing.stdout, '==> Press Ctrl-C to exit <==\n');
    assert.equal(missing.stderr, `unix://${d.socket}/logtail/nosuch/stdout Cannot read, status code 404\n`);
  },
);

test(
  'fg sends typed lines to the process and shows its output; end of input leaves',
  { timeout: 60_000 },
  async () => {
    const s = svdctl('fg', 'echo');
    await s.waitFor('==> Press Ctrl-C to exit <==\n');
    s.child.stdin.write('hello from fg\n');
    await s.waitFor('hello from fg\n');
    s.child.stdin.end();
    assert.equal(await s.done, 0);
    assert.match(s.output(), /Exiting foreground\n$/);
  },
);

test(
  'the shell: prompt from [supervisorctl], status first, EOF prints an empty line',
  { timeout: 60_000 },
  async () => {
    const conf = join(scratch, 'prompt.conf');
    writeFileSync(conf, `[supervisorctl]\nserverurl=unix://${d.socket}\nprompt=svdtest\n`);
    const r = await run(process.execPath, [svdBin, 'ctl', '-c', conf], 'pid sleeper\n');
    assert.equal(r.code, 0);
    assert.match(
      r.stdout,
      /^echo +RUNNING +pid \d+, uptime [\d:]+\nsleeper +RUNNING .*\ntrapper +STOPPED +Not started\nsvdtest> \d+\nsvdtest> \n$/,
    );
  },
);

test('the shell asks for credentials after a 401 and retries', { timeout: 60_000 }, async () => {
  const r = await run(
    process.execPath,
    [svdBin, 'ctl', '-s', `unix://${secured.socket}`],
    'admin\ns3cret\nversion\n',
  );
  assert.equal(r.code, 0);
  assert.match(
    r.stdout,
    /^Server requires authentication\nUsername:\nsleeper +RUNNING .*\nsupervisor> 4\.2\.5\nsupervisor> \n$/,
  );
  // As Python's getpass when the input is not a terminal: the password prompt goes to stderr.
  assert.equal(r.stderr, 'Password:\n');
});

test(
  'the shell at end of input at the 401 questions: an EOFError line as supervisorctl prints, no endless asking',
  { skip: supervisorMissing, timeout: 60_000 },
  async () => {
    for (const input of ['', 'admin\n', 'admin\nwrong\n']) {
      const args = ['-s', `unix://${secured.socket}`];
      const [theirs, ours] = await Promise.all([
        run('/usr/bin/supervisorctl', args, input),
        run(process.execPath, [svdBin, 'ctl', ...args], input),
      ]);
      // The line names where Python raised it: input()'s caller in supervisorctl.py, or getpass.py.
      assert.match(
        theirs.stdout,
        /Username:error: <class 'EOFError'>, .*: file: \S+ line: \d+\nsupervisor> \n$/,
      );
      assert.equal(ours.stdout, theirs.stdout, JSON.stringify(input));
      assert.equal(ours.code, theirs.code);
    }
  },
);

test(
  'one-shot 401: the message, then the command fails once more (exit 1)',
  { timeout: 60_000 },
  async () => {
    const r = await run(process.execPath, [svdBin, 'ctl', '-s', `unix://${secured.socket}`, 'status']);
    assert.equal(r.code, 1);
    assert.equal(
      r.stdout,
      "Server requires authentication\nerror: <class 'xmlrpc.client.ProtocolError'>, <ProtocolError for 127.0.0.1/RPC2: 401 Unauthorized>: file: /usr/lib/python3/dist-packages/supervisor/xmlrpc.py line: 539\n",
    );
    const ok = await run(process.execPath, [
      svdBin,
      'ctl',
      '-s',
      `unix://${secured.socket}`,
      '-u',
      'admin',
      '-p',
      's3cret',
      'pid',
      'sleeper',
    ]);
    assert.equal(ok.code, 0);
    assert.match(ok.stdout, /^\d+\n$/);
  },
);

test(
  '-i asks before shutdown; only an answer starting with y goes ahead; end of input is an EOFError',
  { timeout: 60_000 },
  async () => {
    const r = await run(process.execPath, [svdBin, 'ctl', '-c', d.conf, '-i', 'shutdown'], 'no\n');
    assert.equal(r.code, 0);
    assert.equal(r.stdout, 'Really shut the remote supervisord process down y/N? ');
    // End of input instead of an answer: supervisorctl's raw_input raises EOFError, printed as any error (exit 1);
    // in the shell, the same line and the next prompt.
    const eof = await run(process.execPath, [svdBin, 'ctl', '-c', d.conf, '-i', 'shutdown'], '');
    assert.equal(eof.code, 1);
    assert.equal(
      eof.stdout,
      "Really shut the remote supervisord process down y/N? error: <class 'EOFError'>, EOF when reading a line: file: /usr/lib/python3/dist-packages/supervisor/supervisorctl.py line: 987\n",
    );
    const shell = await run(process.execPath, [svdBin, 'ctl', '-c', d.conf], 'reload\n');
    assert.equal(shell.code, 0);
    assert.match(
      shell.stdout,
      /\nsupervisor> Really restart the remote supervisord process y\/N\? error: <class 'EOFError'>, EOF when reading a line: file: \/usr\/lib\/python3\/dist-packages\/supervisor\/supervisorctl\.py line: 1027\nsupervisor> \n$/,
    );
    assert.equal((await run(process.execPath, [svdBin, 'ctl', '-c', d.conf, 'version'])).stdout, '4.2.5\n');
  },
);

test('--json views of status, pid and avail keep the exit statuses', { timeout: 60_000 }, async () => {
  // The top-level form, with supervisorctl's options before the command.
  const top = await run(process.execPath, [svdBin, '-c', d.conf, 'status', '--json', 'sleeper', 'nosuch']);
  assert.equal(top.code, 4);
  const infos = JSON.parse(top.stdout) as { namespec: string; statename: string; pid: number }[];
  assert.deepEqual(
    infos.map((i) => [i.namespec, i.statename]),
    [['sleeper', 'RUNNING']],
  );
  assert.equal(top.stderr, 'nosuch: ERROR (no such process)\n');
  const pid = await run(process.execPath, [svdBin, 'ctl', '-c', d.conf, 'pid', '--json', 'trapper']);
  assert.equal(pid.code, 7);
  assert.deepEqual(JSON.parse(pid.stdout), [
    { namespec: 'trapper', name: 'trapper', group: 'trapper', pid: 0 },
  ]);
  const daemonPid = await run(process.execPath, [svdBin, 'ctl', '-c', d.conf, 'pid', '--json']);
  assert.deepEqual(JSON.parse(daemonPid.stdout), { pid: d.pid });
  const avail = await run(process.execPath, [svdBin, 'ctl', '-c', d.conf, 'avail', '--json']);
  assert.equal(avail.code, 0);
  assert.deepEqual(
    (JSON.parse(avail.stdout) as { namespec: string; inuse: boolean }[]).map((i) => [i.namespec, i.inuse]),
    [
      ['echo', true],
      ['sleeper', true],
      ['trapper', true],
    ],
  );
});

test(
  "usage errors exit 2 with supervisorctl's two lines; -h prints the usage",
  { timeout: 60_000 },
  async () => {
    const bad = await run(process.execPath, [svdBin, 'ctl', '-x']);
    assert.deepEqual(
      [bad.code, bad.stderr],
      [2, 'Error: option -x not recognized\nFor help, use svd ctl -h\n'],
    );
    const url = await run(process.execPath, [svdBin, 'ctl', '-s', 'foo', 'status']);
    assert.equal(
      url.stderr,
      "Error: invalid value for -s 'foo': value 'foo' is not a URL\nFor help, use svd ctl -h\n",
    );
    const missing = await run(process.execPath, [svdBin, 'ctl', '-c', join(scratch, 'nope.conf'), 'status']);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /^Error: could not find config file .*nope\.conf\n/);
    const noSection = join(scratch, 'nosection.conf');
    writeFileSync(noSection, '[supervisord]\n');
    const section = await run(process.execPath, [svdBin, 'ctl', '-c', noSection, 'status']);
    assert.equal(
      section.stderr,
      'Error: .ini file does not include supervisorctl section\nFor help, use svd ctl -h\n',
    );
    const help = await run(process.execPath, [svdBin, 'ctl', '-h']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /^svd ctl -- /);
    const version = await run(process.execPath, [svdBin, 'daemon', '-v']);
    assert.equal(version.stdout, '4.2.5\n');
    const daemonBad = await run(process.execPath, [svdBin, 'daemon', '--bogus']);
    assert.deepEqual(
      [daemonBad.code, daemonBad.stderr],
      [2, 'Error: option --bogus not recognized\nFor help, use svd daemon -h\n'],
    );
  },
);

/** Polls an async check until it holds, with a deadline. */
async function until(check: () => Promise<boolean>, what: string, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const ctl = (...args: string[]) => run(process.execPath, [svdBin, 'ctl', '-c', d.conf, ...args]);

test(
  'a waiting stop keeps its request open without holding up other calls',
  { timeout: 60_000 },
  async () => {
    assert.equal((await ctl('start', 'trapper')).stdout, 'trapper: started\n');
    // Its line says it ignores SIGTERM by now: RUNNING (startsecs=0) comes before the shell sets its trap.
    await eventually(() => childLog(d, 'trapper').includes('ready'), 20_000, 'trapper ready');
    const pid = Number((await ctl('pid', 'trapper')).stdout);
    const stop = svdctl('stop', 'trapper');
    let stopDone = false;
    void stop.done.then(() => (stopDone = true));
    // trapper ignores SIGTERM: (stopwaitsecs=60): the stop stays open while status answers at once.
    await until(async () => /^trapper +STOPPING/.test((await ctl('status', 'trapper')).stdout), 'STOPPING');
    assert.equal(stopDone, false);
    process.kill(pid, 'SIGKILL');
    assert.equal(await stop.done, 0);
    assert.equal(stop.output(), 'trapper: stopped\n');
  },
);

test('reload restarts every process with new pids, then serves again', { timeout: 60_000 }, async () => {
  const before = (await ctl('pid', 'sleeper')).stdout;
  assert.match(before, /^\d+\n$/);
  const r = await ctl('reload');
  assert.deepEqual([r.code, r.stdout], [0, 'Restarted supervisord\n']);
  await until(async () => {
    const now = await ctl('pid', 'sleeper');
    return now.code === 0 && /^[1-9]\d*\n$/.test(now.stdout) && now.stdout !== before;
  }, 'a new sleeper');
  children.push(...descendants(d.pid));
  assert.ok(existsSync(d.socket));
});

test(
  'on a terminal: tab completion of commands and names, history_file kept, Ctrl-C leaves with 0',
  { timeout: 90_000 },
  async () => {
    const conf = join(scratch, 'tty.conf');
    const history = join(scratch, 'history');
    writeFileSync(history, 'pid\n');
    writeFileSync(conf, `[supervisorctl]\nserverurl=unix://${d.socket}\nhistory_file=${history}\n`);
    const steps: [string, string][] = [
      ['', 'supervisor> '],
      ['vers', 'vers'],
      // Readline writes what completion inserts: the rest of the word.
      ['\t', 'ion '],
      ['\r', '4.2.5'],
      ['sto', 'sto'],
      ['\t', 'p '],
      ['s', 's'],
      ['\t', 'leeper '],
      ['\x15', 'supervisor> '],
      ['\x1b[A', 'version'],
      ['\x15', 'supervisor> '],
      ['\x03', '\n'],
    ];
    const r = await run('/usr/bin/python3', [
      join(fixturesDir, 'pty-drive.py'),
      JSON.stringify(steps),
      process.execPath,
      svdBin,
      'ctl',
      '-c',
      conf,
    ]);
    const result = JSON.parse(r.stdout) as { output: string; status: number; failed: unknown };
    assert.equal(result.failed, null, result.output);
    assert.equal(result.status, 0, result.output);
    assert.deepEqual(readFileSync(history, 'utf8').split('\n'), ['pid', 'version ', '']);
  },
);

test(
  'tail -f into a pipe whose reader has gone (`tail -f x | head -1`) ends quietly with exit 0',
  { timeout: 60_000 },
  async () => {
    // supervisorctl says `<url>/logtail/ticker/stdout Cannot connect, error: <class 'BrokenPipeError'> ...`.
    const t = await startControlDaemon('svd', {
      body: `[program:ticker]\ncommand=/bin/sh -c 'while :; do echo tick; sleep 0.05; done'\nstartsecs=0\n`,
    });
    try {
      await eventually(() => t.mainLog().includes('entered RUNNING'), 20_000, 'RUNNING');
      const r = await run('/bin/bash', [
        '-c',
        'set -o pipefail; "$0" "$1" ctl -c "$2" tail -f ticker | head -1',
        process.execPath,
        svdBin,
        t.conf,
      ]);
      assert.deepEqual(r, { stdout: '==> Press Ctrl-C to exit <==\n', stderr: '', code: 0 });
    } finally {
      await t.stop();
    }
  },
);

test(
  'while the daemon shuts down every call faults SHUTDOWN_STATE, as supervisorctl reports it',
  { timeout: 90_000 },
  async () => {
    assert.match(
      d.mainLog(),
      /INFO RPC interface 'supervisor' initialized\n.* CRIT Server 'unix_http_server' running without any HTTP authentication checking\n/,
    );
    assert.equal((await ctl('start', 'trapper')).stdout, 'trapper: started\n');
    const trapperPid = Number((await ctl('pid', 'trapper')).stdout);
    // trapper ignores SIGTERM (stopwaitsecs=60): the shutdown lasts until the test kills it.
    assert.deepEqual(await ctl('shutdown'), { stdout: 'Shut down\n', stderr: '', code: 0 });
    const status = await ctl('status');
    assert.deepEqual(status, {
      stdout:
        "error: <class 'xmlrpc.client.Fault'>, <Fault 6: 'SHUTDOWN_STATE'>: file: /usr/lib/python3.11/xmlrpc/client.py line: 668\n",
      stderr: '',
      code: 1,
    });
    assert.deepEqual(await ctl('avail'), {
      stdout: 'ERROR: supervisor shutting down\n',
      stderr: '',
      code: 1,
    });
    assert.deepEqual(await ctl('shutdown'), {
      stdout: 'ERROR: already shutting down\n',
      stderr: '',
      code: 0,
    });
    assert.deepEqual(await ctl('reload'), { stdout: 'ERROR: already shutting down\n', stderr: '', code: 1 });
    process.kill(trapperPid, 'SIGKILL');
    assert.deepEqual(await d.exited, { code: 0, signal: null });
    assert.equal(existsSync(d.socket), false);
    assert.deepEqual(await ctl('status'), {
      stdout: `unix://${d.socket} no such file\n`,
      stderr: '',
      code: 4,
    });
    assert.deepEqual(await ctl('shutdown'), {
      stdout: `ERROR: unix://${d.socket} no such file (already shut down?)\n`,
      stderr: '',
      code: 1,
    });
  },
);
