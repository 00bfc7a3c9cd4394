import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { buildProgram, hoistCtlOptions, main, plainValidateFlags } from './main.js';

const quiet = { stdout: { write: () => true }, stderr: { write: () => true } };

test('the plain validate command line reads as commander reads it', async () => {
  for (const argv of [
    [],
    ['-c', 'x.conf'],
    ['-cx.conf'],
    ['--configuration=x.conf', '--strict'],
    ['--configuration', 'x.conf', '--json'],
    ['-f', 'a', '-f', 'b.yaml', '--json', '--strict'],
    ['-c', 'a', '-c', 'b'],
  ]) {
    const flags = plainValidateFlags(argv);
    assert.ok(flags, `${argv.join(' ')} is plain`);
    // A fresh copy each time: commander keeps option values between parses of one Command.
    const fresh = (await buildProgram(quiet)).commands.find((c) => c.name() === 'validate');
    fresh?.parseOptions(argv);
    assert.deepEqual({ ...flags }, { ...fresh?.opts() }, argv.join(' '));
  }
});

test('help, mistakes and anything unusual are left to commander', () => {
  for (const argv of [
    ['--help'],
    ['-h'],
    ['x'],
    ['-c'],
    ['-c', '--json'],
    ['--bogus'],
    ['--json=1'],
    ['--', 'x'],
  ])
    assert.equal(plainValidateFlags(argv), null, argv.join(' '));
});

test('a top-level ctl command may be followed by supervisorctl connection options', () => {
  const cases: [string[], string[]][] = [
    [
      ['status', '-c', 'a.conf'],
      ['-c', 'a.conf', 'status'],
    ],
    [
      ['status', '-c', 'a.conf', 'web'],
      ['-c', 'a.conf', 'status', 'web'],
    ],
    [
      ['restart', '-ca.conf', '--serverurl=unix:///s', 'all'],
      ['-ca.conf', '--serverurl=unix:///s', 'restart', 'all'],
    ],
    [
      ['-u', 'bob', 'stop', '-p', 'pw', 'web'],
      ['-u', 'bob', '-p', 'pw', 'stop', 'web'],
    ],
    // After process names too: left there, they would be names and the command would go to the default server.
    [
      ['status', 'web', '-c', 'a.conf'],
      ['-c', 'a.conf', 'status', 'web'],
    ],
    [
      ['stop', 'web', 'db', '-f', 'conf.d', '-uadmin'],
      ['-f', 'conf.d', '-uadmin', 'stop', 'web', 'db'],
    ],
    [
      ['tail', '-f', 'web', 'stderr', '-c', 'a.conf'],
      ['-c', 'a.conf', 'tail', '-f', 'web', 'stderr'],
    ],
    // After `--`, names, even those that look like options; the `--` goes.
    [
      ['stop', '-s', 'unix:///s', 'web', '--', '-c', 'a.conf'],
      ['-s', 'unix:///s', 'stop', 'web', '-c', 'a.conf'],
    ],
    [
      ['stop', '--', '-c'],
      ['stop', '-c'],
    ],
    // Left as they are: a valued option without its value, a command's own flags.
    [
      ['status', '-c'],
      ['status', '-c'],
    ],
    [
      ['tail', '-f', 'web'],
      ['tail', '-f', 'web'],
    ],
    [
      ['diff', '-c', 'a.conf'],
      ['diff', '-c', 'a.conf'],
    ],
    [
      ['maintail', '-f'],
      ['maintail', '-f'],
    ],
    // svd's -f PATH moves too, except where the command has a -f of its own.
    [
      ['tail', '-c', 'a.conf', '-f', 'web'],
      ['-c', 'a.conf', 'tail', '-f', 'web'],
    ],
    // tail's follow flag is its first word only, as supervisorctl reads it; after the name, -f is svd's.
    [
      ['tail', 'web', '-f', 'conf.d'],
      ['-f', 'conf.d', 'tail', 'web'],
    ],
    [
      ['tail', '-f', 'web', '-f', 'conf.d'],
      ['-f', 'conf.d', 'tail', '-f', 'web'],
    ],
    [
      ['status', '-f', 'conf.d', '-f', 'x.yaml'],
      ['-f', 'conf.d', '-f', 'x.yaml', 'status'],
    ],
    [
      ['-f', 'conf.d', 'pid'],
      ['-f', 'conf.d', 'pid'],
    ],
  ];
  for (const [argv, expected] of cases) assert.deepEqual(hoistCtlOptions(argv), expected, argv.join(' '));
});

/** What `svd ARGS` writes and its status, run in this process. */
async function run(argv: string[]): Promise<{ code: number; out: string }> {
  let out = '';
  const sink = { write: (text: string) => ((out += text), true) };
  const code = await main(argv, { stdout: sink, stderr: sink });
  return { code, out };
}

test("after one of supervisorctl's options, any word but svd's own commands is supervisorctl's", async () => {
  const conf = join(import.meta.dirname, '..', '..', '..', 'conf.example.d', 'supervisord.conf');
  // help, an unknown word and an unknown option answer as `svd ctl` given the same words does, not as
  // commander's "unknown option '-c'".
  for (const words of [['help'], ['help', 'status'], ['bogus'], ['--bogus'], ['-h']]) {
    const top = await run(['-c', conf, ...words]);
    const ctl = await run(['ctl', '-c', conf, ...words]);
    assert.deepEqual(top, ctl, words.join(' '));
    assert.doesNotMatch(top.out, /unknown option/, words.join(' '));
  }
  assert.match((await run(['-c', conf, 'help'])).out, /default commands/);
  // Before svd's own commands, the options go to them: `svd -c FILE validate` is `svd validate -c FILE`.
  assert.deepEqual(await run(['-c', conf, 'validate']), await run(['validate', '-c', conf]));
  assert.match((await run(['-s', 'unix:///x.sock', 'validate'])).out, /unknown option '-s'/);
  // supervisorctl's options as getopt reads them: its own spelling, prefixes, clusters.
  for (const words of [['--history_file=/nonexistent/h'], ['--conf', conf], ['-ic', conf]])
    assert.deepEqual(await run([...words, 'help']), await run(['ctl', ...words, 'help']), words.join(' '));
  // Other options are commander's, with its words: not one of supervisorctl's, whatever their shape.
  assert.match((await run(['--format=json'])).out, /unknown option '--format=json'/);
  assert.match((await run(['--help=x'])).out, /Did you mean --help\?/);
  // Without one of supervisorctl's options, an unknown word is commander's too.
  assert.match((await run(['bogus'])).out, /unknown command 'bogus'/);
});

test("a misspelt supervisorctl command at the top level gets commander's suggestion line too", async () => {
  assert.deepEqual(await run(['stauts']), {
    code: 1,
    out: "error: unknown command 'stauts'\n(Did you mean status?)\n",
  });
  // svd's own commands stay commander's to suggest.
  assert.match((await run(['valdate'])).out, /unknown command 'valdate'\n\(Did you mean validate\?\)/);
});
