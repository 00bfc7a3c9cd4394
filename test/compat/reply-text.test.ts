// Text that supervisor's replies get wrong (README, differences). Non-ASCII names in waited-on results: supervisord
// 4.2.5 sends them with a Content-Length in characters and supervisorctl fails on the cut reply; svd's are whole.
// Control characters in a log (ANSI colours): both daemons send them raw, which supervisorctl's XML parser refuses;
// svd ctl reads them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { daemonsPerFile } from '../support/control-daemon.js';
import { supervisorMissing as skip } from '../support/oracle.js';
import { fixture } from '../support/real-engine.js';

const body =
  `[program:é]\ncommand=${fixture('sleep-forever')}\nstartsecs=0\nautostart=false\n` +
  `[program:color]\ncommand=/bin/sh -c 'printf "\\033[32mok\\033[0m done\\n"; exec sleep 1000'\nstartsecs=0\n`;

const daemon = daemonsPerFile([['svd', { body }]], { skip });

test(
  'start all, stop all and a group start name a program é in full',
  { skip, timeout: 60_000 },
  async () => {
    const [d] = daemon();
    assert.deepEqual(await d.supervisorctl(['start', 'all']), {
      stdout: 'é: started\n',
      stderr: '',
      code: 0,
    });
    assert.deepEqual(await d.supervisorctl(['stop', 'all']), {
      stdout: 'color: stopped\né: stopped\n',
      stderr: '',
      code: 0,
    });
    assert.deepEqual(await d.supervisorctl(['start', 'é:*']), {
      stdout: 'é: started\n',
      stderr: '',
      code: 0,
    });
  },
);

test(
  'tail of ANSI-coloured output: supervisorctl refuses the reply, svd ctl prints it',
  { skip, timeout: 60_000 },
  async () => {
    const [d] = daemon();
    let ours = await d.svdctl(['tail', 'color']);
    for (let i = 0; i < 50 && !ours.stdout.includes('done'); i++) {
      await new Promise((r) => setTimeout(r, 100));
      ours = await d.svdctl(['tail', 'color']);
    }
    assert.deepEqual(ours, { stdout: '\x1b[32mok\x1b[0m done\n\n', stderr: '', code: 0 });
    const theirs = await d.supervisorctl(['tail', 'color']);
    assert.equal(theirs.code, 1);
    assert.match(theirs.stdout, /^error: <class 'xml\.parsers\.expat\.ExpatError'>, not well-formed/);
  },
);
