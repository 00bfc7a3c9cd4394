import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findSetpriv } from './node-spawner.js';

test('findSetpriv: the first path that exists, in order; null when none does', () => {
  const dir = mkdtempSync(join(tmpdir(), 'svd-setpriv-'));
  try {
    const [usrBin, bin] = [join(dir, 'usr-bin-setpriv'), join(dir, 'bin-setpriv')];
    assert.equal(findSetpriv([usrBin, bin]), null);
    writeFileSync(bin, '');
    assert.equal(findSetpriv([usrBin, bin]), bin);
    writeFileSync(usrBin, '');
    assert.equal(findSetpriv([usrBin, bin]), usrBin);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
