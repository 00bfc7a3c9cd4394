// The HTTP layer side by side with Debian's supervisord, over the inet server with Basic auth: what each
// Authorization header earns, and what each /logtail and /mainlogtail path answers.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { readdirSync } from 'node:fs';
import { allStarted, startControlDaemon, type ControlDaemon } from '../support/control-daemon.js';
import { eventually, killAllSpawned } from '../support/cleanup.js';
import { supervisorMissing as skip } from '../support/oracle.js';
import { fixture } from '../support/real-engine.js';

const BODY = `
[program:web]
command=${fixture('sleep-forever')}
startsecs=0

[program:nolog]
command=${fixture('sleep-forever')}
startsecs=0
stdout_logfile=NONE

[group:grp]
programs=member

[program:member]
command=${fixture('sleep-forever')}
startsecs=0
`;

const CREDENTIALS = { username: 'user', password: 'pass:word' };
const GOOD = `Basic ${Buffer.from('user:pass:word').toString('base64')}`;

let daemons: ControlDaemon[] = [];
before(async () => {
  if (skip) return;
  daemons = await allStarted([
    startControlDaemon('supervisord', { body: BODY, inet: true, credentials: CREDENTIALS }),
    startControlDaemon('svd', { body: BODY, inet: true, credentials: CREDENTIALS }),
  ]);
  // A tail of a log not yet created is a 404 on both: wait for the AUTO logs of the programs.
  for (const d of daemons)
    await eventually(() => ['web', 'member'].every((p) => logOf(d, p) !== null), 20_000, `${d.kind}'s logs`);
});
after(async () => {
  for (const d of daemons) await d.stop();
  killAllSpawned();
});

function logOf(d: ControlDaemon, program: string): string | null {
  return readdirSync(d.dir).find((f) => f.startsWith(`${program}-stdout`)) ?? null;
}

/** The status of a GET of `path`; the connection is dropped once the status line is in (a tail never ends). */
function status(port: number, path: string, authorization: string | undefined): Promise<number> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { Host: `127.0.0.1:${port}` };
    if (authorization !== undefined) headers['Authorization'] = authorization;
    const req = request({ host: '127.0.0.1', port, path, headers, timeout: 10_000 }, (res) => {
      resolve(res.statusCode ?? 0);
      req.destroy();
    });
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new Error(`no answer to GET ${path}`)));
    req.end();
  });
}

test(
  'each Authorization header earns the same status from svd as from supervisord',
  { skip, timeout: 60_000 },
  async () => {
    const [sup, svd] = daemons as [ControlDaemon, ControlDaemon];
    const headers: (string | undefined)[] = [
      undefined,
      GOOD,
      `basic   ${GOOD.slice(6)}`,
      `Basic ${Buffer.from('user:wrong').toString('base64')}`,
      `Basic ${Buffer.from('who:pass:word').toString('base64')}`,
      'Bearer dXNlcjpwYXNzOndvcmQ=',
      'Basic,dXNlcjpwYXNzOndvcmQ=',
      // Python's base64.decodebytes: other characters are skipped, the rest after the padding is not read.
      'Basic dXNl cjpw!YXNzOndvcmQ=',
      'Basic dXNlcjpwYXNzOndvcmQ=Zm9v',
      'Basic dXNlcjpwYXNzOndvcmQ===',
      // Cut short without its padding, or bytes that are not UTF-8: 400.
      'Basic dXNlcjpwYXNzOndvcmQ',
      'Basic abc',
      'Basic //8=',
    ];
    for (const header of headers) {
      const expected = await status(sup.port, '/ok.html', header);
      assert.equal(await status(svd.port, '/ok.html', header), expected, `Authorization: ${header}`);
    }
  },
);

test('each /logtail and /mainlogtail path answers as in supervisord', { skip, timeout: 60_000 }, async () => {
  const [sup, svd] = daemons as [ControlDaemon, ControlDaemon];
  const paths = [
    '/logtail/web',
    '/logtail/web/stdout',
    '/logtail/web/stderr',
    '/logtail/web/stdin',
    '/logtail/web/stdout/more',
    '/logtail/%77eb',
    '/logtail/web?offset=5',
    '/logtailx/web',
    '/logtail/nolog',
    '/logtail/nosuch',
    '/logtail/',
    '/logtail//web',
    '//logtail/web',
    '/logtail/grp:member',
    '/logtail/grp%3Amember/stderr',
    '/logtail/member',
    '/logtail/grp',
    '/logtail/..%2F..%2Fetc%2Fpasswd',
    '/mainlogtail',
    '/mainlogtail/x',
    '/mainlogtailx',
  ];
  for (const path of paths) {
    const expected = await status(sup.port, path, GOOD);
    assert.equal(await status(svd.port, path, GOOD), expected, path);
  }
});
