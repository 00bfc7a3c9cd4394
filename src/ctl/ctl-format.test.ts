import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  availLine,
  changeLines,
  clearResult,
  makeNamespec,
  signalResult,
  splitNamespec,
  startResult,
  statusLines,
  stopResult,
  UnknownResultError,
} from './ctl-format.js';

const info = (group: string, name: string, statename: string, description: string) => ({
  group,
  name,
  statename,
  description,
  state: 0,
  pid: 0,
});

test('status lines pad to max(30, longest)+3 then 10, without trimming', () => {
  assert.deepEqual(
    statusLines([info('grp', 'ga', 'STARTING', ''), info('quick', 'quick', 'STOPPED', 'Not started')]),
    ['grp:ga                           STARTING  ', 'quick                            STOPPED   Not started'],
  );
  const long = 'a_very_long_program_name_exceeding_thirty';
  assert.deepEqual(statusLines([info(long, long, 'RUNNING', 'pid 1, uptime 0:00:02')]), [
    `${long}   RUNNING   pid 1, uptime 0:00:02`,
  ]);
});

test('namespecs: plain programs alone, group members with their group, None for a missing name', () => {
  assert.equal(makeNamespec('web', 'web'), 'web');
  assert.equal(makeNamespec('grp', 'a'), 'grp:a');
  assert.equal(makeNamespec('g', null), 'g:None');
  assert.deepEqual(splitNamespec('g:*'), ['g', null]);
  assert.deepEqual(splitNamespec('g:'), ['g', null]);
  assert.deepEqual(splitNamespec('web'), ['web', 'web']);
  assert.deepEqual(splitNamespec('g:a'), ['g', 'a']);
});

test('result messages per fault code', () => {
  const r = (status: number, description = '') => ({ group: 'g', name: 'a', status, description });
  assert.equal(startResult(r(80)), 'g:a: started');
  assert.equal(startResult(r(10)), 'g:a: ERROR (no such process)');
  assert.equal(startResult(r(20)), 'g:a: ERROR (no such file)');
  assert.equal(startResult(r(21)), 'g:a: ERROR (file is not executable)');
  assert.equal(startResult(r(60)), 'g:a: ERROR (already started)');
  assert.equal(startResult(r(50)), 'g:a: ERROR (spawn error)');
  assert.equal(startResult(r(40)), 'g:a: ERROR (abnormal termination)');
  assert.throws(
    () => startResult(r(30)),
    (e: unknown) => e instanceof UnknownResultError && /Unknown result code 30 for g:a/.test(e.message),
  );
  assert.equal(stopResult(r(80)), 'g:a: stopped');
  assert.equal(stopResult(r(70)), 'g:a: ERROR (not running)');
  assert.equal(
    stopResult(r(30, 'FAILED: unknown problem killing a (12)')),
    'FAILED: unknown problem killing a (12)',
  );
  assert.equal(signalResult(r(11)), 'g:a: ERROR (bad signal name)');
  assert.equal(signalResult(r(80)), 'g:a: signalled');
  assert.equal(clearResult(r(30)), 'g:a: ERROR (failed)');
  assert.equal(clearResult(r(80)), 'g:a: cleared');
});

test('avail and reread lines', () => {
  assert.equal(
    availLine({ group: 'grp', name: 'gb', inuse: true, autostart: true, group_prio: 5, process_prio: 1 }),
    'grp:gb                           in use    auto      5:1',
  );
  assert.equal(
    availLine({
      group: 'quick',
      name: 'quick',
      inuse: false,
      autostart: false,
      group_prio: 999,
      process_prio: 999,
    }),
    'quick                            avail     manual    999:999',
  );
  assert.deepEqual(changeLines(['newone'], ['sleeper', 'grp'], ['exiter']), [
    'exiter: disappeared',
    'grp: changed',
    'newone: available',
    'sleeper: changed',
  ]);
  assert.deepEqual(changeLines([], [], []), ['No config updates to processes']);
});
