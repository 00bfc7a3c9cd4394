import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Engine } from './engine.js';
import type { ChildLogs, LogSink } from '../ports/log-sink.js';
import type { ProcessSpec } from '../model/config.js';
import { ManualClock } from '../../test/support/manual-clock.js';
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
