import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../config/load.js';
import { createDaemonLog } from '../logs/index.js';
import type { ProcessSpec } from '../model/config.js';
import type { ChildLogs, LogSink } from '../ports/log-sink.js';
import { channelLogFactory } from './child-logs.js';

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'svd-childlogs-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

/** A factory over a real configuration of `n` programs with AUTO logs in their own childlogdir. */
function burst(name: string, n: number) {
  const root = mkdtempSync(join(dir, `${name}-`));
  const conf = join(root, 'supervisord.conf');
  const programs = Array.from({ length: n }, (_, i) => `[program:p${i}]\ncommand=/bin/true\n`);
  writeFileSync(
    conf,
    `[supervisord]\nchildlogdir=${root}\nlogfile=${join(root, 'main.log')}\n${programs.join('')}`,
  );
  const loaded = loadConfig({ configFile: conf });
  assert.ok(loaded.config);
  const mainLog = createDaemonLog({ path: join(root, 'main.log'), maxbytes: 0, backups: 0, level: 'info' });
  const factory = channelLogFactory({ supervisord: loaded.config.supervisord, mainLog });
  const specs: ProcessSpec[] = loaded.config.groups.flatMap((g) => g.processes);
  return { root, specs, factory, mainLog };
}

const sinks = (logs: ChildLogs[]): LogSink[] =>
  logs.flatMap((l) => [l.stdout, l.stderr]).filter((s): s is LogSink => s !== null);

async function until(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!check()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

test('a burst of AUTO logs: the first ones exist at once, the rest soon after, each 0600 and no other file', async () => {
  const { root, specs, factory, mainLog } = burst('burst', 10);
  const made = sinks(specs.map((s) => factory(s)));
  assert.equal(made.length, 20);
  // The first of a turn are made before the factory returns, so a bad childlogdir fails there.
  for (const sink of made.slice(0, 8)) assert.ok(existsSync(sink.path), sink.path);
  await until(() => made.every((s) => existsSync(s.path)), 'every AUTO file exists');
  for (const sink of made) assert.equal(statSync(sink.path).mode & 0o777, 0o600);
  const files = readdirSync(root).filter((f) => f.endsWith('.log') && f !== 'main.log');
  assert.equal(files.length, 20);
  await mainLog.close();
});

test('an AUTO log opened before its background create was seen gets a file of its own, the other is deleted', async () => {
  const { root, specs, factory, mainLog } = burst('early', 10);
  const made = sinks(specs.map((s) => factory(s)));
  const late = made[made.length - 1];
  assert.ok(late);
  const first = late.path;
  // Same turn as the factory calls: the thread pool's answer cannot have been seen yet.
  assert.equal(late.open?.(), null);
  assert.notEqual(late.path, first);
  assert.ok(existsSync(late.path));
  late.write(Buffer.from('hello\n'));
  await until(() => made.every((s) => s === late || existsSync(s.path)), 'the others exist');
  // The abandoned create ran alongside the others: its file, made or not, must be gone by now.
  await new Promise((r) => setTimeout(r, 200));
  assert.equal(existsSync(first), false);
  const files = readdirSync(root).filter((f) => f.endsWith('.log') && f !== 'main.log');
  assert.equal(files.length, 20);
  late.close();
  await mainLog.close();
});

test('the first AUTO log of a turn in a childlogdir that cannot take a file throws, as at start-up', () => {
  const { root, specs, factory, mainLog } = burst('gone', 1);
  rmSync(root, { recursive: true, force: true });
  const spec = specs[0];
  assert.ok(spec);
  assert.throws(() => factory(spec), /ENOENT/);
  void mainLog.close();
});
