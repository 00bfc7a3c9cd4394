// svd.plan and svd.apply read a configuration a client names, and the daemon (here root) runs what it says: a
// client that may control processes (a deploy user given the socket, an inet password) must not get its own
// commands run as root that way, which supervisord's XML-RPC never allows (it reads only its own -c file).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startControlDaemon, type ControlDaemon } from '../support/control-daemon.js';
import { fixturesDir } from '../support/paths.js';
import { methodCall, postRpc } from '../support/http-probe.js';

const NOBODY = 65534;
const asRoot = process.getuid?.() === 0;
let d: ControlDaemon;
let base: string;
const evil = mkdtempSync(join(tmpdir(), 'svd-apply-trust-'));
const auth = { Authorization: `Basic ${Buffer.from('admin:s3cret').toString('base64')}` };

before(async () => {
  if (!asRoot) return;
  d = await startControlDaemon('svd', {
    body: `[program:sleeper]\ncommand=${join(fixturesDir, 'bin', 'sleep-forever')}\nstartsecs=0\n`,
    inet: true,
    credentials: { username: 'admin', password: 's3cret' },
  });
  base = readFileSync(d.conf, 'utf8');
  // Another user's folder, as a deploy user's home or a shared folder is.
  chmodSync(evil, 0o755);
  chownSync(evil, NOBODY, NOBODY);
});
after(async () => {
  if (d) await d.stop();
  rmSync(evil, { recursive: true, force: true });
});

const marker = (name: string) => join(evil, `${name}.ran`);
const program = (name: string) =>
  `[program:${name}]\ncommand=/bin/sh -c 'id > ${marker(name)}; exec sleep 100'\nuser=root\nstartsecs=0\n`;

/** Writes `text` at `path`, owned by `uid`. */
function writeAs(path: string, text: string, uid: number, mode = 0o644): string {
  writeFileSync(path, text);
  chmodSync(path, mode);
  chownSync(path, uid, uid);
  return path;
}

async function call(method: 'svd.plan' | 'svd.apply', configFile: string): Promise<string> {
  const source = `<struct><member><name>configFile</name><value><string>${configFile}</string></value></member></struct>`;
  const res = await postRpc({ port: d.port }, methodCall(method, source), auth);
  assert.equal(res.status, 200);
  return res.body;
}

async function names(): Promise<string[]> {
  const res = await postRpc({ port: d.port }, methodCall('supervisor.getAllProcessInfo'), auth);
  return [...res.body.matchAll(/<name>name<\/name>\s*<value><string>([^<]*)<\/string>/g)].map(
    (m) => m[1] ?? '',
  );
}

test(
  'a configuration file another user owns is refused: its program is not run as root',
  { skip: !asRoot && 'needs root to own files as another user', timeout: 60_000 },
  async () => {
    const file = writeAs(join(evil, 'evil.conf'), base + program('pwn'), NOBODY);
    for (const method of ['svd.plan', 'svd.apply'] as const) {
      const answer = await call(method, file);
      // Before: svd.apply answered ok and ran `pwn` as root.
      assert.match(answer, /BAD_ARGUMENTS: .*evil\.conf belongs to uid 65534/);
    }
    await new Promise((r) => setTimeout(r, 500));
    assert.ok(!existsSync(marker('pwn')));
    assert.ok(!(await names()).includes('pwn'));
  },
);

test(
  'a root-owned file in a folder its group may write is refused; in a folder only root may write, it applies',
  { skip: !asRoot && 'needs root to own files as another user', timeout: 60_000 },
  async () => {
    const shared = join(d.dir, 'shared');
    mkdirSync(shared);
    chmodSync(shared, 0o775);
    const file = writeAs(join(shared, 'a.conf'), base + program('grouped'), 0);
    assert.match(await call('svd.apply', file), /BAD_ARGUMENTS: .*shared is writable by its group/);
    assert.ok(!(await names()).includes('grouped'));

    const own = writeAs(join(d.dir, 'next.conf'), base + program('fine'), 0);
    assert.match(await call('svd.apply', own), /"ok":true/);
    assert.ok((await names()).includes('fine'));
  },
);

test(
  "a root-owned file whose [include] brings in another user's file is refused",
  { skip: !asRoot && 'needs root to own files as another user', timeout: 60_000 },
  async () => {
    writeAs(join(evil, 'x.inc'), program('included'), NOBODY);
    const file = writeAs(join(d.dir, 'inc.conf'), `${base}[include]\nfiles=${evil}/*.inc\n`, 0);
    const answer = await call('svd.apply', file);
    assert.match(answer, /"ok":false/);
    assert.match(answer, /SVD-APPLY-UNTRUSTED-FILE.*x\.inc belongs to uid 65534/);
    await new Promise((r) => setTimeout(r, 500));
    assert.ok(!existsSync(marker('included')));
    assert.ok(!(await names()).includes('included'));
  },
);
