// supervisorctl's read-only commands, help texts and usage errors: svd's daemon and svd ctl against Debian's
// supervisord and supervisorctl (spec §5.4, §10.1 item 28).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { threeDaemons } from '../support/ctl-compare.js';
import { run } from '../support/control-daemon.js';
import { supervisorMissing as skip } from '../support/oracle.js';
import { svdBin } from '../support/paths.js';

const trio = threeDaemons();

test(
  'shell transcript: read-only commands, help and argument errors',
  { skip, timeout: 120_000 },
  async () => {
    await trio.sameTranscript([
      'status',
      'status nosuch grp:* nog:* sleeper',
      'status grp:ga grp:',
      'pid nolog',
      'pid nosuch sleeper',
      'avail',
      'version',
      'version x',
      'help',
      'help status',
      'help maintail',
      'help nosuch',
      '?tail',
      'bogus line here',
      '',
      'stop',
      'start',
      'restart',
      'signal HUP',
      'clear',
      'clear g:*',
      'tail',
      'tail -f a b c d',
      'tail -x sleeper',
      'tail -f',
      'tail sleeper foo',
      'tail sleeper',
      'tail -5 sleeper',
      'tail sleeper a STDERR',
      'tail nolog',
      'tail nosuch',
      'maintail x',
      'maintail a b',
      'maintail -abc',
      'fg',
      'fg a b',
      'fg nosuch',
      'fg nolog',
      'reread x',
      'avail x',
      'add',
      'remove nosuch',
      'update nosuch',
      'shutdown x',
      'reload x',
      'open ftp://x',
      'start broken',
      'quit',
    ]);
  },
);

test('one-shot exit statuses', { skip, timeout: 120_000 }, async () => {
  for (const line of [
    'status',
    'status nosuch',
    'status sleeper',
    'start',
    'stop',
    'start broken',
    'pid nolog',
    'pid nosuch',
    'tail sleeper foo',
    'bogus',
    'help nosuch',
    'version',
    'exit',
    // A host that does not resolve: Python's socket.gaierror, whose class and words scripts may match.
    '-s http://nosuchhost.invalid:9001 status',
    '-s http://nosuchhost.invalid:9001 avail',
    // Byte counts at and past the 32 bits of an XML-RPC int, which Python's client refuses to send.
    'tail -2147483648 sleeper',
    'tail -2147483649 sleeper',
    'tail -99999999999999999999 sleeper stderr',
    'maintail -2147483649',
    // A unix socket path too long for sockaddr_un: Python's socket refuses it (Node would cut it short).
    `-s unix:///${'a'.repeat(120)}.sock pid`,
    `-s unix:///${'a'.repeat(120)}.sock status`,
    // A socket path through a file: Python's NotADirectoryError.
    '-s unix:///etc/passwd/sd.sock pid',
    // Ports Python's urllib refuses.
    '-s http://127.0.0.1:99999 pid',
    '-s http://127.0.0.1:abc status',
    // Python's int() reads any script's decimal digits: -１０ is 10 bytes.
    'tail -１０ sleeper',
    'tail -٢_٠ sleeper',
    // Python's whitespace, which cuts words and ends an argument: U+001C–U+001F and U+0085 are, U+FEFF is not.
    'status sleeper\x1cnolog',
    'status sleeper\ufeff',
    'avail \x85',
    'version\x1f',
  ]) {
    await trio.sameOneShot(line);
  }
});

test(
  'a config file supervisorctl cannot read, a server URL it refuses: the exit status, and the words for a folder',
  { skip },
  async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'svd-ctl-conf-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const files: Record<string, string> = {
      // Python's INI parser raises, and supervisorctl lets the exception through: a traceback and exit 1.
      'bad-line.conf': '[supervisorctl]\nserverurl=unix:///nonexistent.sock\nnot a line\n',
      'no-header.conf': 'serverurl=unix:///nonexistent.sock\n[supervisorctl]\n',
      // A usage error: exit 2.
      'no-section.conf': '[supervisord]\n',
    };
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    const noSection = join(dir, 'no-section.conf');
    const runs = [
      // The folder itself too: supervisorctl cannot read it, and says no more than that.
      ...[...Object.keys(files).map((f) => join(dir, f)), dir].map((conf) => ['-c', conf, 'status']),
      // Server URLs Python's urlsplit refuses while the options are read: a usage error too.
      ['-c', noSection, '-s', 'http://[::1', 'pid'],
      ['-c', noSection, '-s', 'unix://[x', 'pid'],
    ];
    for (const args of runs) {
      const [real, own] = await Promise.all([
        run('/usr/bin/supervisorctl', args),
        run(process.execPath, [svdBin, 'ctl', ...args]),
      ]).then((rs) => rs.map((r) => ({ ...r, stderr: r.stderr.replace(/For help, use .* -h/, 'For help') })));
      const what = args.join(' ');
      assert.equal(own?.code, real?.code, `${what}: exit status; supervisorctl said ${real?.stderr}`);
      if (real?.code === 2) assert.equal(own?.stderr, real.stderr, what);
      else assert.match(own?.stderr ?? '', /^Error: File contains parsing errors: /, what);
    }
  },
);
