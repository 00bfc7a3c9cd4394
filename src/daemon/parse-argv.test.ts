import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDaemonArgv, type ArgvHost } from './parse-argv.js';

const host: ArgvHost = {
  cwd: '/work',
  env: { HOME: '/home/me' },
  isDirectory: (p) => ['/', '/work', '/var/log', '/home/me', '/work/logs'].includes(p),
  userExists: (u) => u === 'nobody' || u === '65534',
};

const error = (argv: string[]) => {
  const r = parseDaemonArgv(argv, host);
  assert.equal(r.kind, 'error');
  return r.kind === 'error' ? r.message : '';
};
const run = (argv: string[]) => {
  const r = parseDaemonArgv(argv, host);
  assert.equal(r.kind, 'run', JSON.stringify(r));
  return r.kind === 'run' ? r.options : {};
};

test('-m takes octal only, in supervisord words, and is normalised as the config file normalises umask', () => {
  assert.equal(error(['-m', '999']), "invalid value for -m '999': 999 can not be converted to an octal type");
  assert.equal(
    error(['--umask=abc']),
    "invalid value for --umask 'abc': abc can not be converted to an octal type",
  );
  assert.equal(run(['-m', '27']).umask, '027');
  assert.equal(run(['-m0o7']).umask, '007');
});

test('-d and -q must name an existing directory (after ~); -d keeps the expanded value, -q an absolute one', () => {
  assert.equal(
    error(['-d', '/nonexistent']),
    "invalid value for -d '/nonexistent': /nonexistent is not an existing directory",
  );
  assert.equal(
    error(['--childlogdir', 'nope']),
    "invalid value for --childlogdir 'nope': nope is not an existing directory",
  );
  assert.equal(run(['-d', '~']).directory, '/home/me');
  // made absolute: the AUTO logs go there before the detached daemon changes into directory=
  assert.equal(run(['-q', 'logs']).childlogdir, '/work/logs');
});

test('-j and -l need their folder to exist; the path is made absolute as supervisord normalizes it', () => {
  assert.equal(
    error(['-j', '/nonexistent/dir/x.pid']),
    "invalid value for -j '/nonexistent/dir/x.pid': The directory named as part of the path /nonexistent/dir/x.pid does not exist",
  );
  assert.equal(
    error(['-l', 'relative/x.log']),
    "invalid value for -l 'relative/x.log': The directory named as part of the path relative/x.log does not exist",
  );
  assert.equal(run(['-j', 'x.pid']).pidfile, '/work/x.pid');
  assert.equal(run(['-l', '~/sd.log']).logfile, '/home/me/sd.log');
  assert.equal(run(['-l', 'syslog']).logfile, 'syslog');
  assert.equal(run(['-l', 'NONE']).logfile, '/work/NONE');
});

test('-u must name a user or uid that exists, with name_to_uid words', () => {
  assert.equal(error(['-u', 'nosuchuser']), 'Invalid user name nosuchuser');
  assert.equal(error(['-u', '54321']), 'Invalid user id 54321');
  assert.equal(run(['-u', 'nobody']).user, 'nobody');
});

test('integers read as Python int() does; a negative -z is read as 0 with a warning', () => {
  assert.equal(
    error(['-z', 'abc']),
    "invalid value for -z 'abc': invalid literal for int() with base 10: 'abc'",
  );
  const o = run(['-z', '-1']);
  assert.equal(o.logfile_backups, 0);
  assert.equal(o.warnings?.length, 1);
  assert.match(o.warnings?.[0] ?? '', /logfile_backups=-1 .* is read as 0/);
  assert.equal(run(['-z', '3']).warnings, undefined);
  // supervisord takes any int for these; a negative minimum asks for nothing.
  assert.equal(run(['-a', '-1']).minfds, -1);
});

test('-h, -? and --help ask for help and -v, --version for the version, wherever they stand', () => {
  for (const argv of [['-h'], ['-?'], ['--help'], ['-n', '-h'], ['-c', 'x.conf', '--help', '-z', 'bad']])
    assert.deepEqual(parseDaemonArgv(argv, host), { kind: 'help' }, argv.join(' '));
  for (const argv of [['-v'], ['--version'], ['-n', '-v']])
    assert.deepEqual(parseDaemonArgv(argv, host), { kind: 'version' }, argv.join(' '));
  // An option that comes first and is wrong is reported first, as getopt stops there.
  assert.equal(
    error(['-z', 'bad', '-h']),
    "invalid value for -z 'bad': invalid literal for int() with base 10: 'bad'",
  );
});

test('-f (svd only) collects files and folders in order, in every spelling; without a value it is an error', () => {
  assert.deepEqual(run(['-f', 'a.conf', '-fconf.d', '--file', 'b.yaml', '--file=c.ini']).paths, [
    'a.conf',
    'conf.d',
    'b.yaml',
    'c.ini',
  ]);
  assert.equal(error(['-f']), 'option -f requires argument');
  assert.equal(error(['-c']), 'option -c requires argument');
  assert.equal(error(['-n', '-n']), "conflicting command line option '-n'");
  assert.equal(error(['x.conf']), "positional arguments are not supported: ['x.conf']");
  assert.equal(error(['--nosuch']), 'option --nosuch not recognized');
});

test("a -y that is no byte size is refused in supervisord's words: int()'s message on the lowercased value, suffix dropped", () => {
  assert.equal(error(['-y', 'x']), "invalid value for -y 'x': invalid literal for int() with base 10: 'x'");
  assert.equal(
    error(['-y', '10XB']),
    "invalid value for -y '10XB': invalid literal for int() with base 10: '10xb'",
  );
  assert.equal(
    error(['--logfile_maxbytes=aKB']),
    "invalid value for --logfile_maxbytes 'aKB': invalid literal for int() with base 10: 'a'",
  );
  assert.equal(run(['-y', '5KB']).logfile_maxbytes, 5120);
  // What int() takes, as logfile_maxbytes= in the file reads it: spaces, a sign, underscores.
  assert.equal(run(['-y', ' 1 KB']).logfile_maxbytes, 1024);
  assert.equal(run(['-y', '+5MB']).logfile_maxbytes, 5 * 1024 * 1024);
  assert.equal(run(['-y', '1_000']).logfile_maxbytes, 1000);
  assert.equal(run(['-y', '-1']).logfile_maxbytes, -1);
});

test("the command line is read as Python's getopt reads it: clusters, unique long prefixes, -- and its errors", () => {
  // `supervisord -nc /etc/supervisor/supervisord.conf`, as many Dockerfiles write it.
  assert.deepEqual(run(['-nc', '/etc/sd.conf']), { nodaemon: true, configuration: '/etc/sd.conf' });
  assert.deepEqual(run(['-kne', 'debug', '-c/x.conf']), {
    nocleanup: true,
    nodaemon: true,
    loglevel: 'debug',
    configuration: '/x.conf',
  });
  assert.deepEqual(run(['--conf=/x.conf', '--nod', '--logl', 'warn']), {
    configuration: '/x.conf',
    nodaemon: true,
    loglevel: 'warn',
  });
  assert.equal(error(['--log', 'x']), 'option --log not a unique prefix');
  assert.equal(error(['--nodaemon=1']), 'option --nodaemon must not have an argument');
  assert.equal(error(['-nx']), 'option -x not recognized');
  assert.equal(error(['-nc']), 'option -c requires argument');
  assert.equal(error(['--user']), 'option --user requires argument');
  // Options end at the first other argument and at --: the rest are positional, which supervisord refuses.
  assert.equal(error(['-n', 'extra', '-k']), "positional arguments are not supported: ['extra', '-k']");
  assert.equal(error(['--', '-n']), "positional arguments are not supported: ['-n']");
  // A later getopt error wins over an earlier -h, as getopt reads the whole line first.
  assert.equal(error(['-h', '--bogus']), 'option --bogus not recognized');
  // Long names are reported in full, and values quoted as Python's repr quotes them.
  assert.equal(
    error(['--umask=8', '-c', 'x']),
    "invalid value for --umask '8': 8 can not be converted to an octal type",
  );
  assert.equal(
    error(['-z', "it's"]),
    `invalid value for -z "it's": invalid literal for int() with base 10: "it's"`,
  );
  assert.equal(error(['-n', '--nodaemon']), "conflicting command line option '--nodaemon'");
});

test('--profile_options is taken and ignored with a warning: svd has no Python profiler to run under', () => {
  const o = run(['--profile_options=cumulative,callers', '-n']);
  assert.equal(o.nodaemon, true);
  assert.match(o.warnings?.[0] ?? '', /--profile_options=cumulative,callers is ignored/);
});
