// svd ctl tail -f passes the log's bytes through as text: a byte order mark at the start of a log is part of
// it (supervisorctl keeps it), not a marker for the decoder to drop.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { eventually } from '../support/cleanup.js';
import { daemonsPerFile } from '../support/control-daemon.js';
import { svdBin } from '../support/paths.js';

const body = `[program:bom]\ncommand=/bin/sh -c "printf '\\357\\273\\277bom\\n'; exec sleep 600"\nstartsecs=0\n`;
const daemon = daemonsPerFile([['svd', { body }]], {
  ready: (d) => eventually(() => d.mainLog().includes('entered RUNNING'), 20_000, 'RUNNING'),
});

test('tail -f keeps a byte order mark at the start of the log', { timeout: 60_000 }, async () => {
  const [d] = daemon();
  const child = spawn(process.execPath, [svdBin, 'ctl', '-c', d.conf, 'tail', '-f', 'bom'], {
    stdio: 'pipe',
  });
  let out = '';
  child.stdout.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr.on('data', (b: Buffer) => (out += b.toString()));
  const done = new Promise<number | null>((r) => child.on('close', (code) => r(code)));
  try {
    await eventually(() => out.includes('bom\n'), 20_000, 'the line');
    child.kill('SIGINT');
    assert.equal(await done, 0);
    assert.equal(out, '==> Press Ctrl-C to exit <==\n\uFEFFbom\n\n');
  } finally {
    child.kill('SIGKILL');
  }
});
