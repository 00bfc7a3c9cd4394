// supervisorctl's read-only commands, help texts and usage errors: svd's daemon and svd ctl against Debian's
// supervisord and supervisorctl (spec §5.4, §10.1 item 28).
import { test } from 'node:test';
import { threeDaemons } from '../support/ctl-compare.js';
import { supervisorMissing as skip } from '../support/oracle.js';

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
  ]) {
    await trio.sameOneShot(line);
  }
});
