import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MAX_LOG_READ_BYTES, readLogSlice, tailLog } from './read-log.js';

let dir: string;
let ten: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'svd-readlog-'));
  ten = join(dir, 'ten.log');
  writeFileSync(ten, 'abcdefghij');
});
after(() => rmSync(dir, { recursive: true, force: true }));

test('readLogSlice follows readLog offset/length rules', async () => {
  assert.deepEqual(await readLogSlice(ten, 0, 0), { ok: true, text: 'abcdefghij' });
  assert.deepEqual(await readLogSlice(ten, 3, 4), { ok: true, text: 'defg' });
  assert.deepEqual(await readLogSlice(ten, -3, 0), { ok: true, text: 'hij' });
  assert.deepEqual(await readLogSlice(ten, -100, 0), { ok: true, text: 'abcdefghij' });
  assert.deepEqual(await readLogSlice(ten, 8, 100), { ok: true, text: 'ij' });
  assert.deepEqual(await readLogSlice(ten, 100, 0), { ok: true, text: '' });
});

test('readLogSlice: BAD_ARGUMENTS, NO_FILE and FAILED as values', async () => {
  assert.deepEqual(await readLogSlice(ten, -1, 5), { ok: false, fault: 'BAD_ARGUMENTS', detail: null });
  assert.deepEqual(await readLogSlice(ten, 0, -5), { ok: false, fault: 'BAD_ARGUMENTS', detail: null });
  const missing = join(dir, 'missing.log');
  assert.deepEqual(await readLogSlice(missing, 0, 0), { ok: false, fault: 'NO_FILE', detail: missing });
  const folder = join(dir, 'folder.log');
  mkdirSync(folder);
  const failed = await readLogSlice(folder, 0, 0);
  assert.equal(failed.ok, false);
  assert.equal(!failed.ok && failed.fault, 'FAILED');
  assert.equal(!failed.ok && failed.error?.code, 'EISDIR');
});

test('invalid or cut UTF-8 decodes with replacement characters instead of failing', async () => {
  const path = join(dir, 'bad.log');
  writeFileSync(path, Buffer.concat([Buffer.from('ok\n\u20acx\n'), Buffer.from([0xff, 0xfe, 0x0a])]));
  assert.deepEqual(await readLogSlice(path, 0, 3), { ok: true, text: 'ok\n' });
  assert.deepEqual(await readLogSlice(path, 0, 4), { ok: true, text: 'ok\n\ufffd' });
  const [text, offset, overflow] = await tailLog(path, 0, 100);
  assert.equal(text, 'ok\n\u20acx\n\ufffd\ufffd\n');
  assert.equal(offset, 11);
  assert.equal(overflow, false);
});

test("tailLog: supervisor's three examples on a 21-byte file", async () => {
  const path = join(dir, 'twentyone.log');
  writeFileSync(path, '0123456789abcdefnf.d\n');
  assert.deepEqual(await tailLog(path, 0, 5), ['nf.d\n', 21, true]);
  assert.deepEqual(await tailLog(path, 0, 1000), ['0123456789abcdefnf.d\n', 21, false]);
  assert.deepEqual(await tailLog(path, 100, 1000), ['', 21, false]);
});

test('tailLog: a missing file is empty at offset 0; an unreadable one keeps the offset', async () => {
  assert.deepEqual(await tailLog(join(dir, 'nope.log'), 50, 10), ['', 0, false]);
  const folder = join(dir, 'tail-folder.log');
  mkdirSync(folder);
  assert.deepEqual(await tailLog(folder, 50, 10), ['', 50, false]);
});

test('a read larger than the limit is FAILED; a tail longer than the limit returns the last bytes', async () => {
  assert.deepEqual(await readLogSlice(ten, 0, 0, 4), {
    ok: false,
    fault: 'FAILED',
    detail: 'reading 10 bytes at once is refused (limit 4); read in slices with offset and length',
  });
  assert.equal((await readLogSlice(ten, -5, 0, 4)).ok, false);
  assert.deepEqual(await readLogSlice(ten, 2, 4, 4), { ok: true, text: 'cdef' });
  assert.deepEqual(await readLogSlice(ten, -4, 0, 4), { ok: true, text: 'ghij' });
  // Bytes 0-5 were never returned: that is an overflow, as when the file outgrows a tail.
  assert.deepEqual(await tailLog(ten, 0, 1000, 4), ['ghij', 10, true]);
});

test('the read limit is above the default logfile_maxbytes (50 MB)', () => {
  assert.ok(MAX_LOG_READ_BYTES >= 50 * 1024 * 1024);
});
