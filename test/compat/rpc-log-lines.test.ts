// The main log's XML-RPC lines (loglevel=trace: each call and how it returned; a refused request body at
// error) from Debian's supervisord and from svd's daemon, on the same config and the same requests: the
// lines must be the same, past their timestamps.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { eventually } from '../support/cleanup.js';
import { sideBySide, type ControlDaemon } from '../support/control-daemon.js';
import { supervisorMissing } from '../support/oracle.js';
import { fixture } from '../support/real-engine.js';
import { encodeCall } from '../../src/rpc/xmlrpc-codec.js';

const BODY = `
[program:sleeper]
command=${fixture('sleep-forever')}
startsecs=0
`;

const daemons = sideBySide(
  { body: BODY, supervisord: 'loglevel=trace' },
  {
    skip: supervisorMissing,
    ready: (d) =>
      eventually(() => d.mainLog().includes('sleeper entered RUNNING'), 20_000, `${d.kind}: sleeper`),
  },
);

/** POSTs `body` to /RPC2 over the daemon's unix socket, on a connection of its own; resolves to the status. */
function post(d: ControlDaemon, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        socketPath: d.socket,
        agent: false,
        path: '/RPC2',
        method: 'POST',
        headers: {
          'Content-Type': 'text/xml',
          'Content-Length': Buffer.byteLength(body),
          Connection: 'close',
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.setTimeout(30_000, () => req.destroy(new Error('no answer')));
    req.on('error', reject);
    req.end(body);
  });
}

const REQUESTS: readonly [string, number][] = [
  [encodeCall('supervisor.getAPIVersion', []), 200],
  [encodeCall('supervisor.noSuchMethod', ['a', 'b']), 200],
  [encodeCall('supervisor.startProcess', ['sleeper']), 200],
  [encodeCall('supervisor.getProcessInfo', ["it's"]), 200],
  ['<?xml version="1.0" encoding="UTF-8"?><methodCall><methodName></methodName></methodCall>', 400],
  ["this isn't\nan xml-rpc\trequest body \\ at all", 400],
];

/** The XML-RPC lines written after `from` characters of the main log, without their timestamps. */
function rpcLines(d: ControlDaemon, from: number): string[] {
  return d
    .mainLog()
    .slice(from)
    .split('\n')
    .filter((l) => l.includes('XML-RPC'))
    .map((l) => l.replace(/^\S+ \S+ /, ''));
}

async function linesOf(d: ControlDaemon): Promise<string[]> {
  const from = d.mainLog().length;
  for (const [body, status] of REQUESTS) assert.equal(await post(d, body), status, `${d.kind}: ${body}`);
  // Four calls log two lines each, each refused body one.
  await eventually(() => rpcLines(d, from).length >= 10, 10_000, `${d.kind}: the XML-RPC lines`);
  return rpcLines(d, from);
}

test(
  "a call's trace lines and a refused body's error line are written as supervisord writes them",
  { skip: supervisorMissing, timeout: 60_000 },
  async () => {
    const [real, svd] = daemons();
    const expected = await linesOf(real);
    const actual = await linesOf(svd);
    assert.deepEqual(actual, expected);
    // The comparison is about something: a fault unquoted, a body in Python's repr.
    assert.ok(
      expected.includes(
        "TRAC XML-RPC method supervisor.getProcessInfo() returned fault: [10] BAD_NAME: it's",
      ),
    );
    assert.ok(
      expected.includes(
        `ERRO XML-RPC request data "this isn't\\nan xml-rpc\\trequest body \\\\ at all" is invalid: unmarshallable`,
      ),
      expected.join('\n'),
    );
  },
);
