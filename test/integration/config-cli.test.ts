// svd validate / config / echo-conf as a user runs them: real files, the real binary, exit codes,
// and one clear line per problem (never a stack trace).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nobodyArgs, svdBinForNobody } from '../support/as-nobody.js';
import { repoRoot, svdBin } from '../support/paths.js';

function svd(args: string[], input?: string) {
  const r = spawnSync(process.execPath, [svdBin, ...args], { encoding: 'utf8', input, timeout: 30_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** svd, run as nobody when `asNobody` (root reads every file, so a permission test needs another user). */
function svdAs(asNobody: boolean, args: string[]) {
  return asNobody
    ? spawnSync('/usr/bin/setpriv', [...nobodyArgs, process.execPath, svdBinForNobody(), ...args], {
        encoding: 'utf8',
        timeout: 30_000,
      })
    : spawnSync(process.execPath, [svdBin, ...args], { encoding: 'utf8', timeout: 30_000 });
}

let dir = '';
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'svd-config-cli-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: string | Buffer): string {
  const path = join(dir, name);
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, content);
  return path;
}

const minimal = '[supervisord]\n\n[program:a]\ncommand=/bin/true\n';

describe('bad input gets one clear line with its location and exit 1', () => {
  const cases: { name: string; make: () => string[]; expect: RegExp }[] = [
    {
      name: 'garbage bytes',
      make: () => ['-c', file('garbage.conf', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 3, 0xff, 0xfe]))],
      expect: /garbage\.conf:1:\d+: error: not a text file/,
    },
    {
      name: 'a 10 MB file of junk lines',
      make: () => ['-c', file('big.conf', '[supervisord]\n' + 'junk line without equals\n'.repeat(420_000))],
      expect: /big\.conf:2:1: error: expected 'name = value'.*and 419999 more lines/,
    },
    {
      name: 'an empty file',
      make: () => ['-c', file('empty.conf', '')],
      expect: /empty\.conf: error: .*no \[supervisord\] section/,
    },
    {
      name: 'a missing -c file',
      make: () => ['-c', join(dir, 'nope.conf')],
      expect: /nope\.conf: error: could not find config file/,
    },
    {
      // supervisord: `could not read config file DIR`; read as a -f folder, each file was a main file without [supervisord].
      name: 'a folder given with -c',
      make: () => {
        file('conf-folder/a.conf', '[program:a]\ncommand=/bin/true\n');
        file('conf-folder/b.yaml', 'programs:\n  b: {command: /bin/true}\n');
        return ['-c', join(dir, 'conf-folder')];
      },
      expect:
        /conf-folder: error: could not read config file \S*conf-folder: it is a folder \(-c names supervisord's main file; -f reads every config file of a folder\)$/,
    },
    {
      name: 'invalid UTF-8',
      make: () => [
        '-c',
        file('latin1.conf', Buffer.from('[supervisord]\n[program:a]\ncommand=/bin/echo caf\xe9\n', 'latin1')),
      ],
      expect: /latin1\.conf:3:22: error: invalid UTF-8/,
    },
    {
      name: 'a section with no name',
      make: () => ['-c', file('noname.conf', '[supervisord]\n[program:]\ncommand=/bin/true\n')],
      expect: /noname\.conf:2:1: error: section \[program:\] has no name/,
    },
    {
      name: 'stopasgroup=true with killasgroup=false',
      make: () => ['-c', file('group.conf', minimal + 'stopasgroup=true\nkillasgroup=false\n')],
      expect: /group\.conf:6:1: error: cannot set stopasgroup=true and killasgroup=false/,
    },
    {
      name: 'an fcgi socket without a port, in words rather than a regular expression',
      make: () => [
        '-c',
        file(
          'fcgi-port.conf',
          '[supervisord]\n\n[fcgi-program:f]\ncommand=/bin/cat\nsocket=tcp://localhost\n',
        ),
      ],
      expect:
        /fcgi-port\.conf:5:1: error: invalid value 'tcp:\/\/localhost' for socket: expected tcp:\/\/host:port or unix:\/\/\/absolute\/path$/,
    },
    {
      name: 'an fcgi socket with a port out of range',
      make: () => [
        '-c',
        file(
          'fcgi-range.conf',
          '[supervisord]\n\n[fcgi-program:f]\ncommand=/bin/cat\nsocket=tcp://localhost:70000\n',
        ),
      ],
      expect:
        /fcgi-range\.conf:5:1: error: socket: 'tcp:\/\/localhost:70000' is not tcp:\/\/host:port .* a port from 1 to 65535$/,
    },
    {
      name: 'a negative numprocs',
      make: () => ['-c', file('neg.conf', minimal + 'numprocs=-1\n')],
      expect: /neg\.conf:5:1: error: invalid value '-1' for numprocs: expected a number >= 0/,
    },
    {
      // Building the processes before validation refused the value took every byte of memory.
      name: 'a numprocs with a few zeros too many',
      make: () => [
        '-c',
        file('huge.conf', minimal + 'numprocs=99999999999\nprocess_name=%(program_name)s_%(process_num)d\n'),
      ],
      expect: /huge\.conf:5:1: error: invalid value '99999999999' for numprocs: expected a number <= 100000/,
    },
    {
      // A snippet pasted from a web page with its lines indented: each indented line continues the option above.
      name: 'an option swallowed by an indented line after it',
      make: () => ['-c', file('indented.conf', minimal + 'autostart=false\n  stopsignal=INT\n')],
      expect:
        /indented\.conf:5:1: error: invalid value 'false\\nstopsignal=INT' for autostart: expected a boolean .*\(an indented line after it continues autostart; unindent that line to make it an option of its own\)$/,
    },
    {
      // The most common refusal of a container's file: a variable its entrypoint did not export.
      name: 'an environment variable that is not set',
      make: () => ['-c', file('unset.conf', minimal + 'directory=%(ENV_SVD_TEST_SURELY_UNSET)s\n')],
      expect:
        /unset\.conf:5:11: error: directory: %\(ENV_SVD_TEST_SURELY_UNSET\) cannot be expanded .*\(set SVD_TEST_SURELY_UNSET in the environment svd starts in, in \[supervisord\] environment=, or in \[program:a\] environment=\)$/,
    },
    {
      // Python's int() has no limit, so supervisor takes it; svd says which range it can hold, INI or YAML alike.
      name: 'an integer beyond 2^53',
      make: () => ['-c', file('big-int.conf', minimal + 'priority=99999999999999999999\n')],
      expect:
        /big-int\.conf:5:1: error: invalid value '99999999999999999999' for priority: expected an integer from -9007199254740991 to 9007199254740991$/,
    },
    {
      name: 'a YAML integer beyond 2^53',
      make: () => [
        '-f',
        file('big-int.yaml', 'programs:\n  web: {command: /bin/true, startsecs: 99999999999999999999}\n'),
      ],
      expect:
        /big-int\.yaml:2:40: error: invalid value '100000000000000000000' for startsecs: expected an integer from/,
    },
    {
      name: 'a signal number no signal has',
      make: () => ['-c', file('sig99.conf', minimal + 'stopsignal=99\n')],
      expect:
        /sig99\.conf:5:1: error: invalid value '99' for stopsignal: expected a signal name .* or number \(no signal has number 99\)$/,
    },
    {
      name: 'a startsecs of abc',
      make: () => ['-c', file('abc.conf', minimal + 'startsecs=abc\n')],
      expect: /abc\.conf:5:1: error: invalid value 'abc' for startsecs: expected an integer/,
    },
    {
      name: 'an empty event name between commas (supervisor: Unknown event type  in [eventlistener:L] events)',
      make: () => [
        '-c',
        file('events.conf', '[supervisord]\n[eventlistener:L]\ncommand=/bin/cat\nevents=TICK_5,,TICK_60\n'),
      ],
      expect:
        /events\.conf:4:1: error: invalid value 'TICK_5,,TICK_60' for events: expected a comma-separated list without empty items \(item 2 is empty\)/,
    },
    {
      name: 'a YAML events list with an empty name',
      make: () => [
        '-f',
        file('events.yaml', 'eventlisteners:\n  L:\n    command: /bin/cat\n    events: [TICK_5, ""]\n'),
      ],
      expect: /events\.yaml:4:\d+: error: .*for events: expected a comma-separated list without empty items/,
    },
    {
      name: 'a YAML type error',
      make: () => ['-f', file('bad.yaml', 'programs:\n  web:\n    command: /bin/true\n    startsecs: [1]\n')],
      expect: /bad\.yaml:4:16: error: invalid value '\[1\]' for startsecs: expected an integer/,
    },
    {
      name: 'a YAML environment variable without a value',
      make: () => [
        '-f',
        file('env-null.yaml', 'programs:\n  web:\n    command: /bin/true\n    environment: {A: 1, EMPTY:}\n'),
      ],
      expect:
        /env-null\.yaml:4:18: error: invalid value '\{"A":"1","EMPTY":null\}' for environment: expected a mapping of names to strings \(EMPTY has no value: write "" for an empty one\)$/,
    },
    {
      name: 'a bad % in a YAML environment map, on the line of its variable',
      make: () => [
        '-f',
        file(
          'env-pct.yaml',
          'programs:\n  web:\n    command: /bin/true\n    environment:\n      A: "1"\n      B: "2"\n      RATE: "100%"\n',
        ),
      ],
      expect: /env-pct\.yaml:7:13: error: environment\.RATE: '100%' is badly formatted/,
    },
    {
      name: 'a bad expansion in a merged YAML environment, where it is written',
      make: () => [
        '-f',
        file(
          'env-merged.yaml',
          'x-env: &env\n  A: "1"\n  HOME_DIR: "%(ENV_SVD_SURELY_UNSET_X)s"\nprograms:\n  web:\n    command: /bin/true\n    environment:\n      <<: *env\n      B: "2"\n',
        ),
      ],
      expect:
        /env-merged\.yaml:3:13: error: environment\.HOME_DIR: %\(ENV_SVD_SURELY_UNSET_X\) cannot be expanded/,
    },
    {
      name: 'a YAML command with nothing after its colon',
      make: () => ['-f', file('cmd-null.yaml', 'programs:\n  web:\n    command:\n    autostart: false\n')],
      expect:
        /cmd-null\.yaml:3:13: error: invalid value 'null' for command: expected a string \(YAML reads an empty value, ~ or null as no value\)$/,
    },
    {
      name: 'a YAML infinity',
      make: () => ['-f', file('inf.yaml', 'programs:\n  web: {command: /bin/true, startsecs: .inf}\n')],
      expect: /inf\.yaml:2:40: error: invalid value 'Infinity' for startsecs: expected an integer/,
    },
    {
      name: 'a YAML file of two documents',
      make: () => ['-f', file('two.yaml', 'programs: {}\n---\nprograms: {}\n')],
      expect:
        /two\.yaml:2:1: error: YAML: a config file holds one document; this one has another after a ---$/,
    },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const r = svd(['validate', ...c.make()]);
      assert.equal(r.code, 1, r.stdout + r.stderr);
      const lines = r.stdout.trim().split('\n');
      const errors = lines.filter((l) => l.includes(': error: '));
      assert.equal(errors.length, 1, r.stdout);
      assert.match(errors[0] ?? '', c.expect);
      assert.doesNotMatch(r.stdout + r.stderr, /\n\s+at /, 'no stack trace');
    });
  }

  test(
    'an unreadable file',
    { skip: process.getuid?.() === 0 && !existsSync('/usr/bin/setpriv') ? 'root without setpriv' : false },
    () => {
      const path = file('secret.conf', minimal);
      chmodSync(path, 0);
      // Root reads every file: run as nobody, who can reach the folder but not the file.
      const asNobody = process.getuid?.() === 0;
      if (asNobody) chmodSync(dir, 0o755);
      const r = svdAs(asNobody, ['validate', '-c', path]);
      assert.equal(r.status, 1, r.stdout + r.stderr);
      assert.match(
        r.stdout,
        /^\S*secret\.conf: error: could not read config file \S*secret\.conf \(EACCES\)$/m,
      );
      assert.doesNotMatch(r.stdout + r.stderr, /internal error|\n\s+at /);
    },
  );

  test(
    'an included file that cannot be read is an error at the files= line (supervisor skips it silently)',
    { skip: process.getuid?.() === 0 && !existsSync('/usr/bin/setpriv') ? 'root without setpriv' : false },
    () => {
      const sub = join(dir, 'unreadable');
      const main = file('unreadable/main.conf', minimal + '[include]\nfiles=conf.d/*.conf\n');
      const secret = file('unreadable/conf.d/secret.conf', '[program:secret]\ncommand=/bin/true\n');
      chmodSync(secret, 0);
      // Root reads every file: run as nobody, who can reach the folder but not the file.
      const asNobody = process.getuid?.() === 0;
      if (asNobody) for (const d of [dir, sub, join(sub, 'conf.d')]) chmodSync(d, 0o755);
      const r = svdAs(asNobody, ['validate', '-c', main]);
      assert.equal(r.status, 1, r.stdout + r.stderr);
      assert.match(r.stdout, /main\.conf:6:1: error: could not read config file .*secret\.conf \(EACCES\)/);
    },
  );

  test('an included FIFO or device is an error at the files= line, not a hang; a main file may be a pipe', () => {
    const main = file('special/main.conf', minimal + '[include]\nfiles=conf.d/*.conf /dev/zero\n');
    mkdirSync(join(dir, 'special', 'conf.d'));
    const fifo = join(dir, 'special', 'conf.d', 'fifo.conf');
    assert.equal(spawnSync('mkfifo', [fifo]).status, 0, 'mkfifo');
    const r = svd(['validate', '-c', main]);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /main\.conf:6:1: error: could not read config file .*fifo\.conf: it is a FIFO$/m);
    assert.match(
      r.stdout,
      /main\.conf:6:1: error: could not read config file \/dev\/zero: it is a character device$/m,
    );
    // `svd validate -c <(generate)` names a pipe: as supervisor, a file named on the command line is read whatever it is.
    const piped = spawnSync(
      'bash',
      [
        '-c',
        `"${process.execPath}" "${svdBin}" validate -c <(printf '[supervisord]\\n[program:a]\\ncommand=/bin/true\\n')`,
      ],
      { encoding: 'utf8', timeout: 30_000 },
    );
    assert.equal(piped.status, 0, piped.stdout + piped.stderr);
  });

  test(
    'a folder given with -f that cannot be read is an error naming it, not a stack trace',
    { skip: process.getuid?.() === 0 && !existsSync('/usr/bin/setpriv') ? 'root without setpriv' : false },
    () => {
      const folder = join(dir, 'closed');
      file('closed/a.conf', minimal);
      // Searchable but not listable, by anyone but root: root runs the check as nobody.
      const asNobody = process.getuid?.() === 0;
      if (asNobody) chmodSync(dir, 0o755);
      chmodSync(folder, 0o311);
      try {
        const r = svdAs(asNobody, ['validate', '-f', folder]);
        assert.equal(r.status, 1, r.stdout + r.stderr);
        assert.match(r.stdout, /closed: error: could not read folder .*closed \(EACCES\)$/m);
        assert.doesNotMatch(r.stdout + r.stderr, /internal error|\n\s+at /);
      } finally {
        // Not listable, the folder could not be removed by the after-hook of a run that is not root's.
        chmodSync(folder, 0o755);
      }
    },
  );

  test("an include naming a folder reads nothing, as in supervisor, with a warning; a glob's folders are skipped quietly", () => {
    file('include-folder/conf.d/b.conf', '[program:b]\ncommand=/bin/true\n');
    mkdirSync(join(dir, 'include-folder', 'conf.d', 'old.d'));
    const main = file('include-folder/main.conf', minimal + '[include]\nfiles=conf.d\n');
    const r = svd(['validate', '-c', main]);
    assert.equal(r.code, 0, r.stdout);
    assert.match(
      r.stdout,
      /^\S*main\.conf:6:1: warning: include "conf\.d" names a folder, and a folder is not read \(write conf\.d\/\*\.conf to read its files\)$/m,
    );
    assert.match(r.stdout, /valid: 1 file, 1 group, 1 process, 1 warning/);
    writeFileSync(main, minimal + '[include]\nfiles=conf.d/*\n');
    const globbed = svd(['validate', '-c', main]);
    assert.equal(globbed.code, 0, globbed.stdout);
    assert.match(globbed.stdout, /^valid: 2 files, 2 groups, 2 processes$/m);
  });

  test("a literal % written for supervisor 4.2.5's double expansion of [supervisord] environment= is warned about", () => {
    const path = file(
      'env-pct.conf',
      '[supervisord]\nenvironment=RATE="50%%%%",B="x"\n[program:a]\ncommand=/bin/true\n',
    );
    const r = svd(['validate', '-c', path]);
    assert.equal(r.code, 0, r.stdout);
    assert.match(
      r.stdout,
      /env-pct\.conf:2:1: warning: \[supervisord\] environment= has '%%%%', which svd reads as '%%' where supervisor 4\.2\.5 reads '%'/,
    );
    const once = svd([
      'validate',
      '-c',
      file('env-pct1.conf', '[supervisord]\nenvironment=RATE="50%%"\n[program:a]\ncommand=/bin/true\n'),
    ]);
    assert.equal(once.code, 0, once.stdout);
    assert.doesNotMatch(once.stdout, /warning/);
  });

  test('a glob that matches nothing is fine, with a warning', () => {
    const r = svd(['validate', '-c', file('glob.conf', minimal + '[include]\nfiles=nothing/*.conf\n')]);
    assert.equal(r.code, 0, r.stdout);
    assert.match(r.stdout, /glob\.conf:6:1: warning: no file matches include pattern/);
  });
});

describe('svd validate', () => {
  test('--json lists diagnostics for editors and CI', () => {
    const path = file('typo.conf', minimal + 'autorestar=true\n');
    const r = svd(['validate', '--json', '-c', path]);
    assert.equal(r.code, 0);
    const out = JSON.parse(r.stdout) as {
      valid: boolean;
      diagnostics: { code: string; line: number; hint: string }[];
    };
    assert.equal(out.valid, true);
    assert.deepEqual(
      out.diagnostics.map((d) => [d.code, d.line, d.hint]),
      [['SVD-CONF-UNKNOWN-KEY', 5, "did you mean 'autorestart'?"]],
    );
  });

  test('the closing line counts files, groups and processes in words that agree with the numbers', () => {
    const one = svd(['validate', '-c', file('one.conf', minimal)]);
    assert.equal(one.code, 0, one.stdout);
    assert.match(one.stdout, /^valid: 1 file, 1 group, 1 process$/m);
    const two = svd([
      'validate',
      '-c',
      file(
        'two.conf',
        minimal + '[program:b]\ncommand=/bin/true\nnumprocs=2\nprocess_name=b%(process_num)d\n',
      ),
    ]);
    assert.match(two.stdout, /^valid: 1 file, 2 groups, 3 processes$/m);
  });

  test('--strict makes an unknown option an error', () => {
    const path = file('strict.conf', minimal + 'autorestar=true\n');
    const r = svd(['validate', '--strict', '-c', path]);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /strict\.conf:5:1: error: unknown option 'autorestar' in \[program:a\]/);
  });

  test('--strict makes an unknown section or YAML top-level key an error; a second server stays a warning', () => {
    const ini = file(
      'strict-section.conf',
      minimal + '[progam:b]\ncommand=/bin/true\n[inet_http_server:two]\n',
    );
    const yaml = file('strict-key.yaml', 'progams:\n  c: {command: /bin/true}\n');
    const lenient = svd(['validate', '-c', ini]);
    assert.equal(lenient.code, 0, lenient.stdout);
    assert.match(lenient.stdout, /:5:1: warning: unknown section \[progam:b\] is ignored \(did you mean/);
    const strict = svd(['validate', '--strict', '-c', ini]);
    assert.equal(strict.code, 1, strict.stdout);
    assert.match(
      strict.stdout,
      /strict-section\.conf:5:1: error: unknown section \[progam:b\] \(did you mean \[program:b\]\?\)$/m,
    );
    assert.match(strict.stdout, /strict-section\.conf:7:1: warning: \[inet_http_server:two\] is ignored/);
    const strictYaml = svd(['validate', '--strict', '-f', yaml]);
    assert.equal(strictYaml.code, 1, strictYaml.stdout);
    assert.match(
      strictYaml.stdout,
      /strict-key\.yaml:1:1: error: unknown top-level key 'progams' \(did you mean 'programs'\?\)$/m,
    );
    assert.equal(svd(['config', '--strict', '-c', ini]).code, 1);
  });

  test('a [DEFAULT] option no section has warns at its line (every section inherits the typo, none reads it)', () => {
    const path = file('defaults.conf', '[DEFAULT]\nautostrat=false\nstartsecs=3\n\n' + minimal);
    const r = svd(['validate', '-c', path]);
    assert.equal(r.code, 0, r.stdout);
    assert.deepEqual(r.stdout.trim().split('\n'), [
      `${path}:2:1: warning: unknown option 'autostrat' in [DEFAULT] is ignored: no section has it (did you mean 'autostart'?)`,
      'valid: 1 file, 1 group, 1 process, 1 warning',
    ]);
    const strict = svd(['validate', '--strict', '-c', path]);
    assert.equal(strict.code, 1);
    assert.match(
      strict.stdout,
      /defaults\.conf:2:1: error: unknown option 'autostrat' in \[DEFAULT\]: no section has it/,
    );
  });

  test('in YAML, an unknown option points at its name and a bad value at the value', () => {
    const path = file(
      'columns.yaml',
      'programs:\n  web:\n    command: /bin/true\n    comand: x\n    autorestart: maybe\n',
    );
    const r = svd(['validate', '-f', path]);
    assert.equal(r.code, 1, r.stdout);
    assert.match(r.stdout, /columns\.yaml:4:5: warning: unknown option 'comand' in \[program:web\]/);
    assert.match(r.stdout, /columns\.yaml:5:18: error: invalid value 'maybe' for autorestart/);
  });

  test('problems are listed in reading order, file by file, line by line, whichever check found them', () => {
    file('ordered.d/b.conf', '[program:c]\ncommand=/bin/true\nautostart=perhaps\n');
    const main = file(
      'ordered.conf',
      '[supervisord]\nloglevel=loud\n\n[include]\nfiles=ordered.d/*.conf\n\n' +
        '[program:b]\nnumprocs=2\ncommand=/bin/true\nbogus=1\npriority=abc\n',
    );
    const r = svd(['validate', '-c', main]);
    assert.equal(r.code, 1);
    const located = r.stdout
      .split('\n')
      .map((l) => /^(\S+:\d+:\d+): (?:error|warning): /.exec(l)?.[1]?.replace(`${dir}/`, ''))
      .filter((l) => l !== undefined);
    assert.deepEqual(located, [
      'ordered.conf:2:1',
      'ordered.conf:8:1',
      'ordered.conf:10:1',
      'ordered.conf:11:1',
      'ordered.d/b.conf:3:1',
    ]);
  });

  test('a program defined in YAML and in INI is an error naming both places', () => {
    const folder = join(dir, 'twice');
    file('twice/a.conf', '[program:web]\ncommand=/bin/true\n');
    file('twice/b.yaml', 'programs:\n  web:\n    command: /bin/false\n');
    const r = svd(['validate', '-f', folder]);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /b\.yaml:2:3: error: \[program:web\] is defined twice: here and at .*a\.conf:1/);
  });

  test('an indented option line after a command is more of the command, as supervisor reads it, with a warning at that line', () => {
    const path = file(
      'swallowed.conf',
      minimal.replace(
        'command=/bin/true',
        'command=/bin/sh -c\n  "sleep 5"\n  ; a comment\n\tautostart=false',
      ) + 'environment=A=1,\n  B=2\n',
    );
    const r = svd(['validate', '-c', path]);
    assert.equal(r.code, 0, r.stdout);
    assert.deepEqual(r.stdout.trim().split('\n'), [
      `${path}:7:2: warning: 'autostart=false' is indented, so it is not an option: it continues command of [program:a], as supervisor reads it (remove the indentation to make it an option of its own)`,
      'valid: 1 file, 1 group, 1 process, 1 warning',
    ]);
    const shown = svd(['config', '--format', 'json', '-c', path]);
    const doc = JSON.parse(shown.stdout) as { programs: { a: { command: string; autostart: boolean } } };
    assert.equal(doc.programs.a.command, '/bin/sh -c\n"sleep 5"\nautostart=false');
    assert.equal(doc.programs.a.autostart, true);
  });

  test('an environment= value supervisor cuts short is read as it does, with a warning at its line', () => {
    const conf = file(
      'lossy-env.conf',
      '[supervisord]\n[program:a]\ncommand=/bin/true\nenvironment=B="kept whole",HOME_COPY=$HOME\n',
    );
    const r = svd(['validate', '-c', conf]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(
      r.stdout,
      /lossy-env\.conf:4:1: warning: environment: HOME_COPY is read as '\$': the 'HOME' after it is taken as a separator, as supervisor reads it; quote the value to keep it whole/,
    );
    assert.doesNotMatch(r.stdout, /\bB is read/);
  });

  test('negative counts supervisor accepts are read as 0, with a warning naming the line', () => {
    const conf = file(
      'negative.conf',
      '[supervisord]\nlogfile_backups=-2\n[program:a]\ncommand=/bin/true\nstopwaitsecs=-1\nstdout_logfile_backups=-1\nstartretries=-3\n' +
        '[supervisord]\nminfds=-1\n',
    );
    const r = svd(['validate', '-c', conf]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout + r.stderr, /negative\.conf:2:1: warning: logfile_backups=-2 is read as 0/);
    assert.match(r.stdout + r.stderr, /negative\.conf:5:1: warning: stopwaitsecs=-1 is read as 0/);
    assert.match(r.stdout + r.stderr, /negative\.conf:7:1: warning: startretries=-3 is read as 0/);
    assert.match(r.stdout + r.stderr, /negative\.conf:9:1: warning: minfds=-1 is read as 0/);
    const shown = JSON.parse(svd(['config', '--format', 'json', '-c', conf]).stdout) as {
      supervisord: Record<string, unknown>;
      programs: Record<string, Record<string, unknown>>;
    };
    assert.equal(shown.supervisord.logfile_backups, 0);
    assert.equal(shown.programs.a?.stopwaitsecs, 0);
    assert.equal(shown.programs.a?.stdout_logfile_backups, 0);
    assert.equal(shown.programs.a?.startretries, 0);
    // numprocs is not among them: a negative count of processes stays an error (README).
    assert.equal(
      svd([
        'validate',
        '-c',
        file('negnum.conf', '[supervisord]\n[program:b]\ncommand=/bin/true\nnumprocs=-1\n'),
      ]).code,
      1,
    );
  });

  test('conf.example.d validates, as a folder and through its main file', () => {
    for (const args of [
      ['-f', join(repoRoot, 'conf.example.d')],
      ['-c', join(repoRoot, 'conf.example.d', 'supervisord.conf')],
    ]) {
      const r = svd(['validate', ...args]);
      assert.equal(r.code, 0, r.stdout + r.stderr);
      assert.doesNotMatch(r.stdout, /warning|error/);
    }
  });
});

describe('svd config', () => {
  test("as in supervisor, only the main file's [include] is read: a pattern matching the main file itself is harmless, and an included file's [include] is ignored with a warning", () => {
    const main = file('inc/supervisord.conf', '[supervisord]\n[include]\nfiles = *.conf\n');
    file('inc/a.conf', '[program:a]\ncommand=/bin/true\n');
    file('inc/b.conf', '[program:b]\ncommand=/bin/true\n[include]\nfiles = sub/*.conf a.conf\n');
    file('inc/sub/c.conf', '[program:c]\ncommand=/bin/true\n');
    const lint = svd(['validate', '-c', main]);
    assert.equal(lint.code, 0, lint.stdout + lint.stderr);
    assert.match(
      lint.stdout + lint.stderr,
      /inc\/b\.conf:3:1: warning: ignored: \[include\] is read only in a main file, not in an included one/,
    );
    const shown = svd(['config', '--format', 'json', '-c', main]);
    assert.equal(shown.code, 0, shown.stderr);
    const doc = JSON.parse(shown.stdout) as { programs: Record<string, unknown> };
    assert.deepEqual(Object.keys(doc.programs).sort(), ['a', 'b']);
  });

  test('a YAML umask means the octal number written, with or without quotes or 0o', () => {
    const path = file(
      'umask.yaml',
      [
        'programs:',
        '  a: {command: /bin/true, umask: 022}',
        '  b: {command: /bin/true, umask: "027"}',
        '  c: {command: /bin/true, umask: 0o077}',
        '  d: {command: /bin/true, umask: 0x12}',
        '',
      ].join('\n'),
    );
    const bad = svd(['validate', '-f', path]);
    assert.equal(bad.code, 1);
    assert.match(bad.stdout, /umask\.yaml:5:\d+: error: invalid value '0x12' for umask/);
    writeFileSync(path, readFileSync(path, 'utf8').replace(/  d: .*\n/, ''));
    const out = svd(['config', '--format', 'json', '-f', path]);
    assert.equal(out.code, 0, out.stdout + out.stderr);
    const doc = JSON.parse(out.stdout) as { programs: Record<string, { umask: string }> };
    assert.deepEqual(Object.fromEntries(Object.entries(doc.programs).map(([name, p]) => [name, p.umask])), {
      a: '022',
      b: '027',
      c: '077',
    });
  });

  test('INI -> YAML -> INI gives the same effective config', () => {
    const main = file(
      'rt/supervisord.conf',
      [
        '[supervisord]',
        'environment=G="1, 2"',
        '[program:web]',
        'command=/bin/sleep 10%(process_num)d ; with a comment',
        'process_name=%(program_name)s_%(process_num)02d',
        'numprocs=3',
        'environment=PORT="80%(process_num)02d",PCT="100%%"',
        'stdout_logfile=%(here)s/web-%(process_num)d.log',
        '[program:a]',
        'command=/bin/echo',
        '  multi',
        '  line',
        'exitcodes=0,2',
        'stopsignal=sigint',
        '[program:b]',
        'command=/bin/true',
        'priority=3',
        '[group:g]',
        'programs=b,a',
        'priority=7',
        '[eventlistener:lis]',
        'command=/bin/cat',
        'events=PROCESS_STATE,TICK_60',
        '[fcgi-program:tcp]',
        'command=/bin/cat',
        'socket=tcp://localhost:8000',
        'numprocs=2',
        'process_name=asgi%(process_num)d',
        '[fcgi-program:unix]',
        'command=/bin/cat',
        'socket=unix://%(here)s/%(program_name)s.sock',
        'socket_mode=0770',
        '[include]',
        'files=more/*.yaml',
        '',
      ].join('\n'),
    );
    file(
      'rt/more/x.yaml',
      'programs:\n  y:\n    command: /bin/cat\n    environment: {K: v}\n    umask: "022"\n',
    );
    const json1 = svd(['config', '--format', 'json', '-c', main]);
    assert.equal(json1.code, 0, json1.stderr);
    const yaml = svd(['config', '--format', 'yaml', '-c', main]);
    const yamlFile = file('rt/out.yaml', yaml.stdout);
    const ini = svd(['config', '--format', 'ini', '-f', yamlFile]);
    assert.equal(ini.code, 0, ini.stderr);
    const iniFile = file('rt/out.ini', ini.stdout);
    const json2 = svd(['config', '--format', 'json', '-f', iniFile]);
    assert.equal(json2.code, 0, json2.stderr);
    assert.deepEqual(JSON.parse(json2.stdout), JSON.parse(json1.stdout));
    const doc = JSON.parse(json1.stdout) as { groups: Record<string, { programs: string[] }> };
    assert.deepEqual(doc.groups.web?.programs, ['web_00', 'web_01', 'web_02']);
  });
});

describe('svd config: a pool whose processes have values of their own', () => {
  test("the Channels docs' daphne pool keeps %(process_num) in its command; a value no template gives is a warning", () => {
    const conf = file(
      'daphne.conf',
      [
        '[supervisord]',
        '[fcgi-program:asgi]',
        'socket=tcp://localhost:8000',
        'command=daphne -u /run/daphne/daphne%(process_num)d.sock --fd 0 mysite.asgi:application',
        'numprocs=4',
        'process_name=asgi%(process_num)d',
        '[eventlistener:odd]',
        'command=/bin/echo %(process_num).1e',
        'events=TICK_5',
        'numprocs=2',
        'numprocs_start=9',
        'process_name=odd%(process_num)d',
        '',
      ].join('\n'),
    );
    const ini = svd(['config', '--format', 'ini', '-c', conf]);
    assert.equal(ini.code, 0, ini.stderr);
    assert.match(
      ini.stdout,
      /^\[fcgi-program:asgi\]\ncommand = daphne -u \/run\/daphne\/daphne%\(process_num\)d\.sock --fd 0 mysite\.asgi:application\n/m,
    );
    assert.equal(
      ini.stderr,
      "warning: [eventlistener:odd] command: its values differ between the processes in a way no %(process_num) template gives; every process reads odd9's\n",
    );
  });
});

describe('svd config --format ini: environment values', () => {
  test('a value INI can hold comes back as it was; one it cannot is named, and the file still loads', () => {
    const yamlFile = file(
      'envini/in.yaml',
      [
        'programs:',
        '  a:',
        '    command: /bin/true',
        '    environment:',
        '      LINES: "one\\ntwo\\n\\nfour"',
        '      INNER: \'say "hi" now\'',
        '      APOS: "it\'s"',
        '      PAD: "  pad  "',
        '      WIDE: "ünï 100%%"',
        "      LEAD: '\"lead'",
        '      HASH: "a #b"',
        '      INDENTED: "x\\n  y"',
        '',
      ].join('\n'),
    );
    const ini = svd(['config', '--format', 'ini', '-f', yamlFile]);
    assert.equal(ini.code, 0, ini.stderr);
    const lossy = ini.stderr
      .split('\n')
      .filter((line) => line.startsWith('warning: '))
      .map((line) => /environment: (\w+):/.exec(line)?.[1]);
    assert.deepEqual(lossy, ['LEAD', 'HASH', 'INDENTED'], ini.stderr);
    const back = svd(['config', '--format', 'json', '-f', file('envini/out.ini', ini.stdout)]);
    assert.equal(back.code, 0, back.stderr);
    const env = (JSON.parse(back.stdout) as { programs: { a: { environment: Record<string, string> } } })
      .programs.a.environment;
    assert.deepEqual(
      { LINES: env.LINES, INNER: env.INNER, APOS: env.APOS, PAD: env.PAD, WIDE: env.WIDE },
      { LINES: 'one\ntwo\n\nfour', INNER: 'say "hi" now', APOS: "it's", PAD: '  pad  ', WIDE: 'ünï 100%%' },
    );
  });
});

describe('svd config --format ini: a YAML block scalar', () => {
  test("a command's final line break, which INI drops, is named", () => {
    const yamlFile = file(
      'blockcmd/in.yaml',
      'programs:\n  a:\n    command: |\n      /bin/echo\n      two\n',
    );
    const ini = svd(['config', '--format', 'ini', '-f', yamlFile]);
    assert.equal(ini.code, 0, ini.stderr);
    assert.match(ini.stderr, /^warning: \[program:a\] command: INI strips leading and trailing spaces$/m);
  });
});

describe('svd echo-conf', () => {
  for (const format of ['ini', 'yaml']) {
    test(`the ${format} sample validates`, () => {
      const out = svd(['echo-conf', '--format', format]);
      assert.equal(out.code, 0);
      const path = file(`sample.${format === 'ini' ? 'conf' : 'yaml'}`, out.stdout);
      const r = svd(['validate', format === 'ini' ? '-c' : '-f', path]);
      assert.equal(r.code, 0, r.stdout);
      assert.doesNotMatch(r.stdout, /warning/);
    });
  }

  test("the ini sample's [program:], [eventlistener:] and [fcgi-program:] blocks validate uncommented too", () => {
    const out = svd(['echo-conf']).stdout;
    let inBlock = false;
    const lines = out.split('\n').map((line) => {
      if (/^;\[(program|eventlistener|fcgi-program):/.test(line)) inBlock = true;
      else if (line.trim() === '') inBlock = false;
      return inBlock && line.startsWith(';') ? line.slice(1) : line;
    });
    const text = lines.join('\n');
    for (const header of ['[program:', '[eventlistener:', '[fcgi-program:']) {
      assert.ok(text.includes(`\n${header}`), `${header} uncommented`);
    }
    const path = file('sample-program.conf', text);
    const r = svd(['validate', '-c', path]);
    assert.equal(r.code, 0, r.stdout);
  });

  test("the yaml sample's program validates uncommented too", () => {
    const out = svd(['echo-conf', '--format', 'yaml']);
    assert.equal(out.stderr, '');
    const text = out.stdout.replace(/^# (programs:|  theprogramname:|    [a-z_]+:)/gm, '$1');
    assert.match(text, /^programs:\n {2}theprogramname:\n {4}command:/m);
    const r = svd(['validate', '-f', file('sample-program.yaml', text)]);
    assert.equal(r.code, 0, r.stdout);
  });

  test('the ini sample names every option of every section in the schema', () => {
    const out = svd(['echo-conf']).stdout;
    const named = new Set([...out.matchAll(/^;?\s*([a-z_.]+)\s*=/gm)].map((m) => m[1]));
    const schema = JSON.parse(readFileSync(join(repoRoot, 'schema/svd.schema.json'), 'utf8')) as {
      definitions: Record<string, { properties?: Record<string, unknown> }>;
    };
    const missing = Object.entries(schema.definitions).flatMap(([definition, d]) =>
      Object.keys(d.properties ?? {})
        .filter((option) => !named.has(option))
        .map((option) => `${definition}.${option}`),
    );
    assert.deepEqual(missing, []);
  });
});

test('output piped into a reader that stops early (`svd config | head -1`) ends quietly, no stack trace', () => {
  const programs = Array.from({ length: 3000 }, (_, i) => `[program:p${i}]\ncommand=/bin/sleep ${i}\n`);
  const conf = file('many.conf', `[supervisord]\n${programs.join('\n')}`);
  const r = spawnSync(
    '/bin/sh',
    ['-c', `"$0" "$1" config -c "$2" | head -1`, process.execPath, svdBin, conf],
    {
      encoding: 'utf8',
      timeout: 30_000,
    },
  );
  assert.equal(r.status, 0);
  assert.equal(r.stdout.split('\n').length, 2, 'head printed one line');
  assert.equal(r.stderr, '', 'nothing on stderr');
});

test('output that cannot be written (`> /dev/full`) is one line on stderr and status 1, for each bin', () => {
  const conf = file('full.conf', minimal);
  const full = openSync('/dev/full', 'w');
  try {
    for (const args of [
      ['validate', '-c', conf],
      ['config', '-c', conf],
      ['daemon', '-h'],
      ['ctl', '-h'],
      ['echo-conf'],
    ]) {
      const r = spawnSync(process.execPath, [svdBin, ...args], {
        encoding: 'utf8',
        timeout: 30_000,
        stdio: ['ignore', full, 'pipe'],
      });
      assert.equal(r.status, 1, args.join(' '));
      assert.equal(r.stderr, 'svd: cannot write to standard output: ENOSPC\n', args.join(' '));
    }
  } finally {
    closeSync(full);
  }
});

test('a device or pipe named with -c is read up to the size limit, not to its end: /dev/zero is refused', () => {
  const r = svd(['validate', '-c', '/dev/zero']);
  assert.equal(r.code, 1);
  assert.match(
    r.stdout + r.stderr,
    /^\/dev\/zero: error: config file is too large \(more than 67108864 bytes; the limit is 67108864\)/m,
  );
  // A pipe under the limit is still read whole.
  const piped = spawnSync(
    '/bin/sh',
    ['-c', `printf '%s' "$2" | "$0" "$1" validate -c /dev/stdin`, process.execPath, svdBin, minimal],
    { encoding: 'utf8', timeout: 30_000 },
  );
  assert.equal(piped.status, 0, piped.stdout + piped.stderr);
});

test('a command that cannot be split into words is a warning at its line: supervisor takes it and fails each start', () => {
  const conf = file(
    'unsplittable.conf',
    "[supervisord]\n[program:a]\ncommand=/bin/sh -c '(sleep 1 &) ; exec sleep 2'\n",
  );
  const r = svd(['validate', '-c', conf]);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(
    r.stdout + r.stderr,
    /unsplittable\.conf:3:1: warning: \[program:a\] command cannot be split into words \(No closing quotation\); the process will fail to spawn \(in INI, ' ;' and ' #' start a comment/,
  );
  const json = svd(['validate', '-c', conf, '--json']);
  assert.match(json.stdout, /SVD-CONF-COMMAND-UNPARSABLE/);
});
