import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  BadServerUrlError,
  ConnectionRefusedError,
  NoSuchFileError,
  RemoteFault,
  TransportError,
} from '../client/client-errors.js';
import { ctlErrorLine } from './ctl-error-line.js';
import { UnknownResultError } from './ctl-format.js';

const SUPERVISOR = '/usr/lib/python3/dist-packages/supervisor';
const PYTHON = '/usr/lib/python3.11';

test("the error line names where Debian's supervisorctl raises the same failure", () => {
  const cases: [unknown, string][] = [
    [
      new ConnectionRefusedError('http://127.0.0.1:1', 'inet-connect'),
      `error: <class 'ConnectionRefusedError'>, [Errno 111] Connection refused: file: ${PYTHON}/socket.py line: 836`,
    ],
    [
      new ConnectionRefusedError('unix:///tmp/s', 'unix-connect'),
      `error: <class 'ConnectionRefusedError'>, [Errno 111] Connection refused: file: ${SUPERVISOR}/xmlrpc.py line: 557`,
    ],
    [
      new NoSuchFileError('unix:///tmp/s', 'unix-connect'),
      `error: <class 'FileNotFoundError'>, [Errno 2] No such file or directory: file: ${SUPERVISOR}/xmlrpc.py line: 557`,
    ],
    [
      new TransportError('x', 'ENOTFOUND', 'resolve'),
      `error: <class 'socket.gaierror'>, [Errno -2] Name or service not known: file: ${PYTHON}/socket.py line: 962`,
    ],
    [
      new TransportError('x', 'ECONNRESET', 'exchange'),
      `error: <class 'ConnectionResetError'>, [Errno 104] Connection reset by peer: file: ${PYTHON}/socket.py line: 706`,
    ],
    [
      new BadServerUrlError('unknown-protocol', 'Unknown protocol for serverurl foo'),
      `error: <class 'ValueError'>, Unknown protocol for serverurl foo: file: ${SUPERVISOR}/xmlrpc.py line: 505`,
    ],
    [
      new BadServerUrlError('not-an-ip-address', "'foo' does not appear to be an IPv4 or IPv6 address"),
      `error: <class 'ValueError'>, 'foo' does not appear to be an IPv4 or IPv6 address: file: ${PYTHON}/ipaddress.py line: 54`,
    ],
    [
      new BadServerUrlError('no-host', "expected string or bytes-like object, got 'NoneType'"),
      `error: <class 'TypeError'>, expected string or bytes-like object, got 'NoneType': file: ${PYTHON}/http/client.py line: 1233`,
    ],
    [
      new RemoteFault(92, 'CANT_REREAD: x'),
      `error: <class 'xmlrpc.client.Fault'>, <Fault 92: 'CANT_REREAD: x'>: file: ${PYTHON}/xmlrpc/client.py line: 668`,
    ],
    [
      new UnknownResultError('Unknown result code 99 for x', 'signal-result'),
      `error: <class 'ValueError'>, Unknown result code 99 for x: file: ${SUPERVISOR}/supervisorctl.py line: 835`,
    ],
  ];
  for (const [error, line] of cases) assert.equal(ctlErrorLine(error), line);
});

test('a failure supervisorctl has no place for: the line ends after the message', () => {
  assert.equal(
    ctlErrorLine(new TypeError('expected a struct')),
    "error: <class 'TypeError'>, expected a struct",
  );
  assert.equal(ctlErrorLine('odd'), "error: <class 'Exception'>, odd");
});
