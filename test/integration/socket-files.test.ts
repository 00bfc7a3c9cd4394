// The files the daemon makes as root for its unix socket, checked on real socket files: what another local user
// could reach, at any moment, with the configured mode and the process's umask.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { lstatSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listenOnUnixSocket, removeSocketFile } from '../../src/http/unix-socket.js';

const dir = mkdtempSync(join(tmpdir(), 'svd-sock-files-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test(
  'under umask 000 the socket is never open to others between its bind and its chmod',
  { timeout: 30_000 },
  async () => {
    const file = join(dir, 'u.sock');
    const temp = `${file}.${process.pid}`;
    const server = createServer();
    // 'listening' comes after the bind and before listenOnUnixSocket's chmod: the file as the bind made it.
    let boundMode = -1;
    server.once('listening', () => (boundMode = lstatSync(temp).mode & 0o777));
    const umask = process.umask(0);
    try {
      const ino = await listenOnUnixSocket(server, { file, mode: 0o770, owner: null, onStale: () => {} });
      // Before: 0777, a window in which any user could connect to the daemon (umask=000 in the config).
      assert.equal(boundMode.toString(8), '700');
      assert.equal((statSync(file).mode & 0o777).toString(8), '770');
      assert.equal(process.umask(0), 0, 'the umask is restored');
      removeSocketFile(file, ino);
    } finally {
      process.umask(umask);
      server.close();
    }
  },
);
