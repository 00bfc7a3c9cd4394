import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Engine } from './engine.js';
import type { ChildLogs, LogSink } from '../ports/log-sink.js';
import type { ProcessSpec } from '../model/config.js';
import { ManualClock, UNTIMED_PACE } from '../../test/support/manual-clock.js';
import { FakeSpawner } from '../../test/support/fake-spawner.js';
import { programGroup } from '../../test/support/specs.js';

/** A log factory that records what it opened and what was closed. */
function recordingLogs() {
  const opened: string[] = [];
  const closed: string[] = [];
  let n = 0;
  const sinkFor = (path: string): LogSink => ({
    path,
    write: () => {},
    reopen: () => {},
    close: () => closed.push(path),
  });
  const factory = (spec: ProcessSpec): ChildLogs => {
    const path = spec.stdout_logfile === 'AUTO' ? `/auto/${spec.name}-${++n}.log` : spec.stdout_logfile;
    opened.push(path);
    return { stdout: sinkFor(path), stderr: null };
  };
  return { factory, opened, closed };
}

function setup() {
  const logs = recordingLogs();
  const engine = new Engine({
    pace: UNTIMED_PACE,
    clock: new ManualClock(),
    spawner: new FakeSpawner(),
    childLogs: logs.factory,
  });
  engine.addGroup(programGroup({ name: 'web', autostart: false, stdout_logfile: 'AUTO' }));
  const spec = engine.groupSpecs()[0]?.processes[0] as ProcessSpec;
  return { engine, logs, spec };
}

test('a new stdout_logfile reopens the logs at the new path and closes the old ones', () => {
  const { engine, logs, spec } = setup();
  engine.updateProcessSpec({ ...spec, stdout_logfile: '/var/log/web.log' });
  assert.deepEqual(logs.opened, ['/auto/web-1.log', '/var/log/web.log']);
  assert.deepEqual(logs.closed, ['/auto/web-1.log']);
  assert.equal(engine.getProcessInfo('web').stdout_logfile, '/var/log/web.log');
});

test('a new rotation size keeps an AUTO log in its file', () => {
  const { engine, logs, spec } = setup();
  engine.updateProcessSpec({ ...spec, stdout_logfile_maxbytes: 1024 });
  assert.deepEqual(logs.opened, ['/auto/web-1.log', '/auto/web-1.log']);
  assert.equal(engine.getProcessInfo('web').stdout_logfile, '/auto/web-1.log');
});

test('a policy change does not touch the logs', () => {
  const { engine, logs, spec } = setup();
  engine.updateProcessSpec({ ...spec, startsecs: 5, autorestart: true });
  assert.deepEqual(logs.opened, ['/auto/web-1.log']);
  assert.deepEqual(logs.closed, []);
});

/** Sinks that record their opens, closes, reopens and clears in one list, and fail to open or clear when told. */
function lifecycleLogs(failOpen: Map<string, string>, failClear = new Map<string, string>()) {
  const calls: string[] = [];
  const sinkFor = (path: string): LogSink => ({
    path,
    open: () => {
      calls.push(`open ${path}`);
      const code = failOpen.get(path);
      return code === undefined ? null : { code };
    },
    write: () => {},
    reopen: () => void calls.push(`reopen ${path}`),
    clear: () => {
      calls.push(`clear ${path}`);
      const code = failClear.get(path);
      return code === undefined ? null : { code };
    },
    close: () => void calls.push(`close ${path}`),
  });
  const factory = (spec: ProcessSpec): ChildLogs => ({
    stdout: sinkFor(`/l/${spec.name}.out`),
    stderr: sinkFor(`/l/${spec.name}.err`),
  });
  return { factory, calls };
}

test('logs open at each spawn, close when the run ends, and a process never started opens none', () => {
  const failOpen = new Map<string, string>();
  const logs = lifecycleLogs(failOpen);
  const spawner = new FakeSpawner();
  const engine = new Engine({
    pace: UNTIMED_PACE,
    clock: new ManualClock(),
    spawner,
    childLogs: logs.factory,
  });
  engine.addGroup(programGroup({ name: 'web', autostart: false, startsecs: 0 }));
  engine.run();
  engine.reopenLogs();
  engine.clearProcessLogs('web');
  assert.deepEqual(logs.calls, [
    'reopen /l/web.out',
    'reopen /l/web.err',
    'clear /l/web.out',
    'clear /l/web.err',
  ]);

  logs.calls.length = 0;
  engine.startProcess('web', false);
  assert.deepEqual(logs.calls, ['open /l/web.out', 'open /l/web.err']);
  logs.calls.length = 0;
  spawner.last('web').exit(0);
  assert.deepEqual(logs.calls, ['close /l/web.out', 'close /l/web.err']);

  // supervisor's `unknown error making dispatchers`: the spawn fails before any child exists.
  logs.calls.length = 0;
  failOpen.set('/l/web.err', 'EACCES');
  engine.startProcess('web', false).catch(() => {});
  assert.equal(spawner.spawnCount('web'), 1);
  assert.deepEqual(logs.calls, [
    'open /l/web.out',
    'open /l/web.err',
    'close /l/web.out',
    'close /l/web.err',
  ]);
  const info = engine.getProcessInfo('web');
  assert.equal(info.statename, 'BACKOFF');
  assert.equal(info.spawnerr, "unknown error making dispatchers for 'web': EACCES");
});

test('a command that cannot be found opens no log (its check comes first, as in supervisor)', () => {
  const logs = lifecycleLogs(new Map());
  const spawner = new FakeSpawner();
  const message = "can't find command '/nonexist'";
  spawner.checks.set('gone', { ok: false, fault: 'NO_FILE', message });
  spawner.failures.set('gone', message);
  const engine = new Engine({
    pace: UNTIMED_PACE,
    clock: new ManualClock(),
    spawner,
    childLogs: logs.factory,
  });
  engine.addGroup(programGroup({ name: 'gone', startsecs: 0, startretries: 0 }));
  engine.run();
  assert.equal(engine.getProcessInfo('gone').spawnerr, message);
  assert.deepEqual(logs.calls, []);
});

test('a log that cannot be emptied makes clearProcessLogs FAILED, and clearAllProcessLogs FAILED for it', () => {
  const logs = lifecycleLogs(new Map(), new Map([['/l/web.out', 'EPERM']]));
  const engine = new Engine({
    pace: UNTIMED_PACE,
    clock: new ManualClock(),
    spawner: new FakeSpawner(),
    childLogs: logs.factory,
  });
  engine.addGroup(programGroup({ name: 'web', autostart: false }));
  engine.addGroup(programGroup({ name: 'api', autostart: false }));
  engine.run();
  assert.throws(
    () => engine.clearProcessLogs('web:web'),
    (e: Error) => e.name === 'FailedError' && e.message === 'FAILED: web:web',
  );
  // stderr is emptied even though stdout failed.
  assert.deepEqual(logs.calls, ['clear /l/web.out', 'clear /l/web.err']);
  assert.deepEqual(
    engine.clearAllProcessLogs().map((r) => [r.name, r.status, r.description]),
    [
      ['web', 30, 'FAILED: web'],
      ['api', 80, 'OK'],
    ],
  );
  assert.equal(engine.clearProcessLogs('api'), true);
});
