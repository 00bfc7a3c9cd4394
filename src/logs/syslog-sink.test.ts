import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSyslogSink, type SyslogSink } from './syslog-sink.js';

// Node cannot bind a unix datagram socket either: a tiny Python receiver plays syslogd.
const RECEIVER = `
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
print('ready', flush=True)
while True:
    data = s.recv(65536)
    sys.stdout.buffer.write(data.replace(b'\\n', b' ') + b'\\n')
    sys.stdout.flush()
`;

let dir: string;
let receiver: ChildProcess | null = null;
const sinks: SyslogSink[] = [];
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'svd-syslog-'));
});
after(async () => {
  for (const sink of sinks) await sink.close();
  receiver?.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

async function until(what: string, check: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const hasLogger = ['/usr/bin/logger', '/bin/logger'].some((p) => existsSync(p));

test(
  'lines arrive as RFC 3164 user.info datagrams tagged supervisord',
  { skip: !hasLogger && 'logger(1) is not installed' },
  async () => {
    const socketPath = join(dir, 'log.sock');
    let received = '';
    receiver = spawn(
      existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3',
      ['-c', RECEIVER, socketPath],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    receiver.stdout!.on('data', (chunk: Buffer) => (received += chunk.toString()));
    await until('receiver ready', () => received.startsWith('ready\n'));

    const sink = createSyslogSink({ socketPath });
    sinks.push(sink);
    sink.send('web hello');
    sink.send(Buffer.from('web two\nlines'));
    await until('two datagrams', () => received.split('\n').length >= 4);
    const lines = received.split('\n').slice(1, 3);
    assert.match(lines[0]!, /^<14>.*supervisord: web hello$/);
    assert.match(lines[1]!, /^<14>.*supervisord: web two lines$/);
    assert.equal(sink.available, true);
    assert.equal(sink.droppedLines, 0);
    await sink.close();
    sink.send('after close is dropped silently');
  },
);

test('a missing socket makes the sink unavailable, drops lines and starts no logger', async () => {
  const sink = createSyslogSink({ socketPath: join(dir, 'no-such.sock') });
  sinks.push(sink);
  sink.send('lost');
  sink.send('lost too');
  assert.equal(sink.available, false);
  assert.equal(sink.droppedLines, 2);
  await sink.close();
});

test('a missing logger executable is reported, not thrown', async () => {
  const sink = createSyslogSink({ socketPath: dir, command: join(dir, 'no-logger') });
  sinks.push(sink);
  sink.send('x');
  await until('spawn error', () => sink.lastError !== null);
  assert.equal(sink.lastError?.code, 'ENOENT');
  assert.equal(sink.available, false);
  await sink.close();
});
