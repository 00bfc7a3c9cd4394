// svd diff and svd apply against a server that answers svd.plan / svd.apply with something other than svd's JSON
// (another program on the socket, a broken proxy): one line naming the server and exit 1, never a stack trace.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeResponse } from '../../src/rpc/xmlrpc-codec.js';
import type { XmlRpcValue } from '../../src/rpc/xmlrpc-value.js';
import { run } from '../support/control-daemon.js';
import { svdBin } from '../support/paths.js';

let dir = '';
let socket = '';
let conf = '';
let server: Server;
let answer: XmlRpcValue = 'not json';

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'svd-odd-server-'));
  socket = join(dir, 'odd.sock');
  conf = join(dir, 'svd.conf');
  writeFileSync(conf, '[supervisord]\n[program:a]\ncommand=/bin/true\n');
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const body = encodeResponse(answer);
      res.writeHead(200, { 'Content-Type': 'text/xml', 'Content-Length': Buffer.byteLength(body) });
      res.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(socket, resolve));
});

after(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

test('an answer that is not svd JSON is one line and exit 1', { timeout: 60_000 }, async () => {
  for (const odd of ['not json', '[1, 2]', '{"ok": true}', { name: 3 }, 42]) {
    answer = odd;
    for (const command of ['diff', 'apply']) {
      const r = await run(process.execPath, [svdBin, command, '-c', conf, '-s', `unix://${socket}`]);
      assert.equal(r.code, 1, `${command} ${JSON.stringify(odd)}: ${r.stdout}${r.stderr}`);
      assert.equal(
        r.stderr,
        `svd: unix://${socket}: svd.${command === 'diff' ? 'plan' : 'apply'} did not answer svd's JSON (is this server svd?)\n`,
      );
    }
  }
});

test(
  "svd ctl names a version that is not a string as JSON, where it printed '[object Object]'",
  { timeout: 30_000 },
  async () => {
    answer = { name: 3 };
    const r = await run(process.execPath, [svdBin, 'ctl', '-s', `unix://${socket}`, 'status']);
    assert.match(r.stdout, /but the remote version is \{"name":3\}\.$/m);
  },
);
