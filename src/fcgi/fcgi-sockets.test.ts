import { test } from 'node:test';
import assert from 'node:assert/strict';
import { groupSpec } from '../../test/support/specs.js';
import type { FcgiAddress } from '../model/fcgi-address.js';
import type { ListenOptions, ListenOutcome } from './listen-socket.js';
import { FcgiSockets } from './fcgi-sockets.js';

function setup(outcomes: ListenOutcome[]) {
  const calls: { address: FcgiAddress; options: ListenOptions }[] = [];
  const lines: string[] = [];
  const sockets = new FcgiSockets({
    logger: (level, m) => lines.push(`${level} ${m}`),
    open: (address, options) => {
      calls.push({ address, options });
      return outcomes.shift() ?? { ok: false, message: 'no more' };
    },
  });
  return { sockets, calls, lines };
}

const fcgiGroup = (socket: string, mode = '0700') =>
  groupSpec('web', [{ name: 'web_0' }, { name: 'web_1' }], {
    kind: 'fcgi-program',
    fcgi: { socket, socket_backlog: 64, socket_owner: null, socket_mode: mode },
  });

test('every process of the group gets the socket; other processes get none; removal closes it once', () => {
  let closed = 0;
  const t = setup([{ ok: true, socket: { fd: 42, close: () => closed++ } }]);
  const g = fcgiGroup('unix:///tmp/x.sock', '0660');
  t.sockets.add(g);
  assert.deepEqual(t.calls[0]!.options, { backlog: 64, owner: null, mode: 0o660 });
  assert.deepEqual(t.sockets.stdinFor(g.processes[1]!), { fd: 42 });
  assert.equal(t.sockets.stdinFor({ ...g.processes[0]!, group: 'other' }), null);
  t.sockets.remove('web');
  t.sockets.closeAll();
  assert.equal(closed, 1);
  assert.deepEqual(t.lines, [
    'info Creating socket unix:///tmp/x.sock',
    'info Closing socket unix:///tmp/x.sock',
  ]);
});

test('a failed creation is logged, reported to each spawn, and tried again at the next spawn', () => {
  const t = setup([
    { ok: false, message: '[Errno 98] Address already in use' },
    { ok: false, message: '[Errno 98] Address already in use' },
    { ok: true, socket: { fd: 7, close() {} } },
  ]);
  const g = fcgiGroup('tcp://127.0.0.1:9000');
  t.sockets.add(g);
  const message = 'Could not create FastCGI socket tcp://127.0.0.1:9000: [Errno 98] Address already in use';
  assert.ok(t.lines.includes(`error ${message}`));
  assert.deepEqual(t.sockets.stdinFor(g.processes[0]!), { error: message });
  assert.deepEqual(t.sockets.stdinFor(g.processes[0]!), { fd: 7 });
  assert.equal(t.calls.length, 3);
  assert.equal(t.calls[0]!.options.mode, null, 'no mode or owner for tcp');
});
