import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mayExecute } from './exec-access.js';

const asRoot = process.getuid?.() === 0;
const nobody = { uid: 65534, gid: 65534, groups: [] };

test(
  'mayExecute reads the mode bits of the class that applies: owner, else group, else other; every folder too',
  { skip: !asRoot && 'needs root (files owned by another user)' },
  () => {
    const dir = mkdtempSync(join(tmpdir(), 'svd-exec-access-'));
    try {
      chmodSync(dir, 0o755);
      const file = (name: string, mode: number, uid = 0, gid = 0) => {
        const f = join(dir, name);
        writeFileSync(f, '#!/bin/sh\n');
        chownSync(f, uid, gid);
        chmodSync(f, mode);
        return f;
      };
      assert.equal(mayExecute(file('other-x', 0o701), nobody), true);
      assert.equal(mayExecute(file('root-only', 0o700), nobody), false);
      assert.equal(mayExecute(file('root-only', 0o700), { uid: 0, gid: 0, groups: [] }), true);
      // The owner's bits decide for the owner, even where others may.
      assert.equal(mayExecute(file('not-owner', 0o071, 65534), nobody), false);
      assert.equal(mayExecute(file('group', 0o710, 0, 4242), { ...nobody, groups: [4242] }), true);
      assert.equal(mayExecute(file('group', 0o710, 0, 4242), nobody), false);
      // A folder on the way without search permission; a link into it.
      const closed = join(dir, 'closed');
      mkdirSync(closed, { mode: 0o700 });
      const inside = join(closed, 'tool');
      writeFileSync(inside, '#!/bin/sh\n');
      chmodSync(inside, 0o755);
      assert.equal(mayExecute(inside, nobody), false);
      symlinkSync(inside, join(dir, 'link'));
      assert.equal(mayExecute(join(dir, 'link'), nobody), false);
      chmodSync(closed, 0o711);
      assert.equal(mayExecute(join(dir, 'link'), nobody), true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
);
