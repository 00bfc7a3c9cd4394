import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pythonTempDir } from './config-host.js';

test("the default childlogdir is Python's gettempdir: TMPDIR, TEMP, TMP, then the usual folders, the first usable", () => {
  const all = () => true;
  assert.equal(pythonTempDir({ TMP: '/t/tmp', TEMP: '/t/temp' }, '/w', all), '/t/temp');
  assert.equal(pythonTempDir({ TMPDIR: '/t/dir/', TMP: '/t/tmp' }, '/w', all), '/t/dir');
  assert.equal(pythonTempDir({ TMPDIR: '', TMP: 'rel' }, '/w', all), '/w/rel');
  assert.equal(pythonTempDir({}, '/w', all), '/tmp');
  const only =
    (...ok: string[]) =>
    (dir: string) =>
      ok.includes(dir);
  assert.equal(pythonTempDir({ TMPDIR: '/gone' }, '/w', only('/var/tmp')), '/var/tmp');
  assert.equal(pythonTempDir({}, '/w', only('/w')), '/w');
});
