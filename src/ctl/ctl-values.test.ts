import { test } from 'node:test';
import assert from 'node:assert/strict';
import { processInfo, type ProcessFacts } from '../engine/process-info.js';
import { processJson } from '../web/process-view.js';
import { processInfosOfApi } from './ctl-values.js';

const facts = (over: Partial<ProcessFacts>): ProcessFacts => ({
  name: 'web_01',
  group: 'web',
  state: 'RUNNING',
  startWall: 1_795_927_700_250,
  stopWall: 0,
  nowWall: 1_795_927_783_864,
  spawnerr: null,
  exitstatus: null,
  pid: 4100,
  stdoutLogfile: '/var/log/web_01.out',
  stderrLogfile: null,
  ...over,
});

test("the JSON API's process list reads back as getAllProcessInfo's structs, field for field and in order", () => {
  const infos = [
    processInfo(facts({})),
    processInfo(
      facts({ name: 'w', group: 'w', state: 'FATAL', pid: 0, spawnerr: "can't find command 'nope'" }),
    ),
    processInfo(
      facts({ name: 'x', group: 'x', state: 'EXITED', exitstatus: 3, stopWall: 1_795_927_783_000 }),
    ),
  ];
  const answer = JSON.parse(
    JSON.stringify({
      supervisor: { state: 'RUNNING' },
      now: 1_795_927_783_864,
      processes: infos.map(processJson),
    }),
  ) as unknown;
  const read = processInfosOfApi(answer);
  assert.deepEqual(read, infos);
  assert.deepEqual(Object.keys(read?.[0] ?? {}), Object.keys(infos[0] ?? {}));
});

test('anything but that answer from a running daemon is null: the ctl then asks over XML-RPC', () => {
  const running = { state: 'RUNNING' };
  for (const other of [
    null,
    'x',
    {},
    { supervisor: running, now: 1, processes: 'no' },
    { supervisor: running, processes: [] },
    { supervisor: running, now: '1000', processes: [] },
    { supervisor: running, now: 1, processes: [{ name: 1 }] },
    // One field of the wrong type is enough.
    { supervisor: running, now: 1, processes: [{ name: 1, group: 'g', statename: 'RUNNING' }] },
    { supervisor: running, now: 1, processes: [{ name: 'a', group: 2, statename: 'RUNNING' }] },
    { supervisor: running, now: 1, processes: [{ name: 'a', group: 'g', statename: 20 }] },
    { supervisor: running, now: 1, processes: [null] },
    { supervisor: { state: 'SHUTDOWN' }, now: 1000, processes: [] },
    { supervisor: { state: 'RESTARTING' }, now: 1000, processes: [] },
    { now: 1000, processes: [] },
  ])
    assert.equal(processInfosOfApi(other), null);
  assert.deepEqual(processInfosOfApi({ supervisor: running, now: 1000, processes: [] }), []);
});
