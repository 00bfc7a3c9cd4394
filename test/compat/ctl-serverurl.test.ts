// supervisorctl's server URL, from -s and from [supervisorctl] serverurl: svd's reading of it against Debian's
// Python urllib, and svd ctl's words and exit statuses against Debian's supervisorctl.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { hostnameOf, portOf, urlparse } from '../../src/client/python-url.js';
import { run } from '../support/control-daemon.js';
import { supervisorMissing as skip, supervisorPython } from '../support/oracle.js';
import { svdBin } from '../support/paths.js';

/** What Python says of each URL: urlparse's parts or its ValueError; the hostname; the port or its ValueError. */
const PYTHON_URLPARSE = `
import json, sys
from urllib.parse import urlparse
out = []
for value in json.load(sys.stdin):
    try:
        p = urlparse(value)
    except ValueError as e:
        out.append({'error': str(e)})
        continue
    r = {'parts': list(p), 'hostname': p.hostname}
    try:
        r['port'] = p.port
    except ValueError as e:
        r['port'] = str(e)
    out.append(r)
json.dump(out, sys.stdout)
`;

function svdUrlparse(value: string): unknown {
  const parsed = urlparse(value);
  if (!parsed.ok) return { error: parsed.message };
  const { scheme, netloc, path, params, query, fragment } = parsed.parts;
  const port = portOf(netloc);
  return {
    parts: [scheme, netloc, path, params, query, fragment],
    hostname: hostnameOf(netloc),
    port: port.ok ? port.port : port.message,
  };
}

const TABLE = [
  'http://localhost:9001',
  'unix:///tmp/s.sock',
  'http:;x',
  'http:/;x',
  'http:a/b;c?d#e',
  'ftp:;x',
  'unix:;x',
  '\x01http://x',
  ' \x1fhttp://x',
  '\xa0http://x',
  'ht\ttp://x',
  'http://\t127.0.0.1:1\n',
  '1http://x',
  'http://[foo]/',
  'http://[::1',
  'http://::1]',
  'http://a[::1]/',
  'http://[::1]x/',
  'http://[::1]:1:2',
  'http://[1.2.3.4]/',
  'http://[v1.x]/',
  'http://[vz]/',
  'http://[V1.x]/',
  'http://[]/',
  'http://[::1%]:1',
  'http://[::1%a%b]:1',
  'http://[fe80::1%Eth0]:1',
  'http://[1::2::3]/',
  'http://[::ffff:1.2.3.4]/',
  'http://[::01.2.3.4]/',
  'http://[1:2:3:4:5:6:7:8:9]/',
  'http://[1:2:3:4:5:6:7::]/',
  'http://[::1:2:3:4:5:6:7]/',
  'http://[1:2:3:4:5:6:7:8]/',
  'http://[:1:2:3:4:5:6:7]/',
  'http://[::1]@x/',
  'http://x@[foo]/',
  'http://u:p@H:1/',
  'http://@/',
  'http://:99999',
  'http://x:abc',
  'http://x:+1',
  'http://x:\u0661\u0662',
  'http://x:\u00b2',
  'http://\u2100/',
  'http://a\uff03b/',
  'http://x\uff1a1/',
  'http://\u00e9:1/',
];

const CHARS = [...'htpx1:/[]@%.;?#vfe0 ', '\t', '\n', '\x01', '\xa0', '\u2100', '\uff03', '\u00e9', 'A'];

test(
  "Python's urlparse, hostname and port: svd's reading of a server URL against Debian's Python",
  { skip },
  () => {
    const generated = fc.sample(
      fc
        .tuple(
          fc.constantFrom('', 'http://', 'http:', 'unix://', 'http://[', 'http://[::'),
          fc.string({ unit: fc.constantFrom(...CHARS), maxLength: 16 }),
        )
        .map(([a, b]) => a + b),
      { numRuns: 3000, seed: 4_2_5 },
    );
    const values = [...TABLE, ...generated];
    const theirs = JSON.parse(
      execFileSync(supervisorPython, ['-c', PYTHON_URLPARSE], {
        input: JSON.stringify(values),
        encoding: 'utf8',
      }),
    ) as unknown[];
    values.forEach((value, i) => assert.deepEqual(svdUrlparse(value), theirs[i], JSON.stringify(value)));
  },
);

/** supervisorctl and svd ctl on the same arguments; the help hint names each program, so it is cut out. */
async function sameCtl(args: string[]): Promise<void> {
  const [real, own] = await Promise.all([
    run('/usr/bin/supervisorctl', args),
    run(process.execPath, [svdBin, 'ctl', ...args]),
  ]).then((rs) => rs.map((r) => ({ ...r, stderr: r.stderr.replace(/For help, use .* -h/, 'For help') })));
  assert.deepEqual(own, real, JSON.stringify(args));
}

test(
  "-s and [supervisorctl] serverurl: svd ctl's words and exit statuses against supervisorctl's",
  { skip, timeout: 120_000 },
  async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'svd-serverurl-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const empty = join(dir, 'empty.conf');
    writeFileSync(empty, '[supervisorctl]\n');
    // -s goes through supervisor's url type (a usage error, exit 2); the file's value only through the
    // transport (its generic error line, exit 1).
    const values = [
      'http:;x',
      '\x01http://x',
      '\xa0http://x',
      'ht\ttp://127.0.0.1:1',
      'http://[foo]/',
      'http://[1.2.3.4]/',
      'http://[vz]/',
      'http://a[::1]/',
      'http://[::1]x/',
      'http://[::1',
      'http://\u2100/',
      'http://',
      'unix://',
      'foo:bar',
      'http://:1',
      'http://u@:1',
      'http://a b:1',
      'http://a..b:1',
      `http://${'a'.repeat(64)}:1`,
      'http://127.0.0.1:99999',
      'http://127.0.0.1:1 ',
      'http://[::1]:1:2',
      'http://127.0.0.1:1',
      `unix://${join(dir, 'missing.sock')}`,
    ];
    for (const value of values) {
      await sameCtl(['-c', empty, '-s', value, 'version']);
      // Python's INI parser strips a value and cuts it at a newline.
      if (value.trim() !== value || value.includes('\n')) continue;
      const conf = join(dir, 'serverurl.conf');
      writeFileSync(conf, `[supervisorctl]\nserverurl=${value}\n`);
      await sameCtl(['-c', conf, 'version']);
    }
    // The error line of a command that does not catch the failure names where Python raised it.
    for (const value of ['http://127.0.0.1:1', `unix://${join(dir, 'missing.sock')}`, `unix://${dir}`])
      await sameCtl(['-c', empty, '-s', value, 'avail']);
  },
);
