import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildProgram, plainValidateFlags } from './main.js';

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
