// A child ended by a signal without a name (a real-time one: 40 is SIGRTMIN+6 on glibc): supervisord's log says
// `terminated by signal 40`. node:child_process reports such an exit as status 0 (README: the fallback
// spawner's difference); svd's native spawner reports the number.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nativeSpawnAvailable } from '../../src/adapters/native-spawn.js';
import { eventually } from '../support/cleanup.js';
import { sideBySide } from '../support/control-daemon.js';
import { supervisorMissing } from '../support/oracle.js';

const skip = supervisorMissing || (nativeSpawnAvailable() ? false : 'the native spawner is not built here');

const body = `
[program:rt]
command=/bin/sh -c 'sleep 0.2; kill -40 $$'
startsecs=0
startretries=0
autorestart=false
`;

const daemons = sideBySide({ body }, { skip });

test('a child ended by signal 40 is logged as supervisord logs it', { skip }, async () => {
  const lines = await Promise.all(
    daemons().map(async (d) => {
      const exited = () => d.mainLog().match(/WARN exited: rt .*|INFO exited: rt .*/)?.[0];
      await eventually(() => exited() !== undefined, 20_000, `${d.kind}: rt to exit`);
      return exited();
    }),
  );
  assert.deepEqual(lines, [
    'WARN exited: rt (terminated by signal 40; not expected)',
    'WARN exited: rt (terminated by signal 40; not expected)',
  ]);
});
