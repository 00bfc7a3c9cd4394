// `tail -f` (/logtail) of a log rotated by size while it is followed, as an nginx access log under load is: every
// line arrives, in order. A rotation renames the file right after the write that filled it, and the follower
// went to the new file without reading that write from the old one, so one line was lost at every rotation
// (supervisord loses the same line).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { request, type ClientRequest } from 'node:http';
import { createClient, type XmlRpcClient } from '../../src/client/index.js';
import { eventually } from '../support/cleanup.js';
import { alive, descendants, startControlDaemon, type ControlDaemon } from '../support/control-daemon.js';

const LINES = 150;

// About 40 bytes a line: a 1 KB log rotates every 25 lines or so, six times in a run.
const body = `[program:access]
command=/bin/sh -c 'i=0; while [ $i -lt ${LINES} ]; do i=$((i+1)); echo "127.0.0.1 GET /r$i HTTP/1.1 200"; sleep 0.005; done; exec /bin/sleep 100000'
autostart=false
startsecs=0
stdout_logfile_maxbytes=1KB
stdout_logfile_backups=2
`;

let daemon: ControlDaemon | undefined;
let client: XmlRpcClient | undefined;
let follow: ClientRequest | undefined;
const children: number[] = [];

before(async () => {
  daemon = await startControlDaemon('svd', { body });
  client = createClient({ serverUrl: `unix://${daemon.socket}`, timeoutMs: 20_000 });
});

after(async () => {
  follow?.destroy();
  client?.close();
  if (daemon) children.push(...descendants(daemon.pid));
  await daemon?.stop();
  await eventually(() => alive(children).length === 0, 10_000, 'no process left');
});

test(
  'every line written while the log rotates reaches a follower, once and in order',
  {
    timeout: 60_000,
  },
  async () => {
    if (!daemon || !client) throw new Error('the daemon did not start');
    let text = '';
    await new Promise<void>((resolve, reject) => {
      follow = request({ socketPath: daemon?.socket, path: '/logtail/access' }, (res) => {
        assert.equal(res.statusCode, 200);
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        resolve();
      });
      follow.on('error', reject);
      follow.end();
    });
    await client.call('supervisor.startProcess', ['access', true]);
    await eventually(() => text.includes(`GET /r${LINES} `), 30_000, 'the last line at the follower');
    const seen = [...text.matchAll(/GET \/r(\d+) /g)].map((m) => Number(m[1]));
    assert.deepEqual(
      seen,
      Array.from({ length: LINES }, (_, i) => i + 1),
    );
    const rotated = await client.call('supervisor.readProcessStdoutLog', ['access', 0, 0]);
    // The log did rotate while it was followed (the current file holds only the last lines).
    assert.doesNotMatch(String(rotated), /GET \/r1 /);
  },
);
