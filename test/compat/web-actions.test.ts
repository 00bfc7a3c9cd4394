// supervisor's old page actions (`/index.html?processname=x&action=stop`), as scripts call them with curl:
// svd's daemon and Debian's supervisord side by side, the same outcome and the same message.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { startControlDaemon, type ControlDaemon } from '../support/control-daemon.js';
import { killAllSpawned } from '../support/cleanup.js';
import { supervisorMissing as skip } from '../support/oracle.js';
import { fixture } from '../support/real-engine.js';

const BODY = `
[program:sleeper]
command=${fixture('sleep-forever')}
startsecs=0
stopwaitsecs=5

[program:broken]
command=/nonexistent/broken
autostart=false
`;

const daemons: ControlDaemon[] = [];
after(async () => {
  for (const d of daemons) await d.stop();
  killAllSpawned();
});

/** svd and supervisord on the same programs, each with an inet server; both stopped by the after-hook. */
async function startBoth(): Promise<{ svd: ControlDaemon; sup: ControlDaemon }> {
  const svd = await startControlDaemon('svd', { body: BODY, inet: true });
  daemons.push(svd);
  const sup = await startControlDaemon('supervisord', { body: BODY, inet: true });
  daemons.push(sup);
  return { svd, sup };
}

/**
 * GET with no browser headers, as curl sends it (a POST of `form` when given): the status and the decoded
 * `message` of the redirect.
 */
function get(
  port: number,
  path: string,
  headers: Record<string, string> = {},
  form?: string,
): Promise<[number, string]> {
  return new Promise((resolve, reject) => {
    const method = form === undefined ? 'GET' : 'POST';
    if (form !== undefined) {
      headers = {
        ...headers,
        'Content-Type': 'application/x-www-form-urlencoded',
        'Content-Length': String(Buffer.byteLength(form)),
      };
    }
    const req = request({ host: '127.0.0.1', port, path, method, headers, timeout: 30_000 }, (res) => {
      res.resume();
      const location = String(res.headers.location ?? '');
      const message = new URL(location, `http://127.0.0.1:${port}/`).searchParams.get('message') ?? '';
      resolve([
        res.statusCode ?? 0,
        message.replace(/at \w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d \d{4}$/, 'at TIME'),
      ]);
    });
    req.on('error', reject);
    req.end(form);
  });
}

async function state(d: ControlDaemon, name: string): Promise<string> {
  return ((await d.svdctl(['status', name])).stdout.split(/\s+/)[1] ?? '').trim();
}

test(
  'each action does what supervisord does and names the outcome in the same words',
  { skip, timeout: 120_000 },
  async () => {
    const { svd, sup } = await startBoth();
    const steps: [string, string][] = [
      ['/index.html?processname=sleeper&action=stop', 'sleeper'],
      ['/index.html?processname=sleeper&action=stop', 'sleeper'],
      ['/index.html?processname=sleeper&action=start', 'sleeper'],
      ['/index.html?processname=sleeper&action=start', 'sleeper'],
      ['/index.html?processname=sleeper&action=restart', 'sleeper'],
      ['/index.html?processname=sleeper&action=clearlog', 'sleeper'],
      ['/index.html?processname=broken&action=start', 'broken'],
      ['/index.html?processname=nosuch&action=stop', 'sleeper'],
      ['/index.html?action=refresh', 'sleeper'],
      ['/index.html?action=stopall', 'sleeper'],
      ['/index.html?action=restartall', 'sleeper'],
    ];
    for (const [path, name] of steps) {
      const [svdStatus, svdMessage] = await get(svd.port, path);
      const [supStatus, supMessage] = await get(sup.port, path);
      assert.equal(svdMessage, supMessage, path);
      assert.ok(svdStatus >= 300 && svdStatus < 400 && supStatus >= 300 && supStatus < 400, path);
      assert.equal(await state(svd, name), await state(sup, name), `${path}: ${name}'s state`);
    }
  },
);

test(
  'an unknown action, or a process action without a name, is an HTTP 500 as in supervisord, and does nothing',
  { skip, timeout: 120_000 },
  async () => {
    const { svd, sup } = await startBoth();
    for (const path of [
      '/index.html?action=bogus&processname=sleeper',
      '/index.html?action=stop',
      '/?action=stop&processname=',
      '/index.html?action=clearlog',
    ]) {
      const [svdStatus] = await get(svd.port, path);
      const [supStatus] = await get(sup.port, path);
      assert.deepEqual([svdStatus, supStatus], [500, 500], path);
      assert.equal(await state(svd, 'sleeper'), 'RUNNING', path);
    }
  },
);

/** The raw query of a GET's redirect, as a script sees it in `Location`. */
function rawRedirectQuery(port: number, path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, timeout: 30_000 }, (res) => {
      res.resume();
      resolve(String(res.headers.location ?? '').replace(/^[^?]*/, ''));
    });
    req.on('error', reject);
    req.end();
  });
}

test(
  "the redirect's message is quoted as Python quotes it, and '//index.html' is the page, as in supervisord",
  { skip, timeout: 120_000 },
  async () => {
    const { svd, sup } = await startBoth();
    for (const path of [
      "/index.html?action=stop&processname=grp:*(x)!'",
      '//index.html?action=stop&processname=nosuch',
      '//?action=clearlog&processname=sleeper',
    ]) {
      const svdQuery = await rawRedirectQuery(svd.port, path);
      assert.notEqual(svdQuery, '', path);
      assert.equal(svdQuery, await rawRedirectQuery(sup.port, path), path);
    }
  },
);

test(
  "a POSTed form (supervisor's status page is one) acts as supervisord does",
  { skip, timeout: 120_000 },
  async () => {
    const { svd, sup } = await startBoth();
    const steps: [string, string, string][] = [
      ['/index.html', 'action=stop&processname=sleeper', 'sleeper'],
      ['/index.html', 'action=start&processname=sleeper', 'sleeper'],
      // The form's fields win over the query's, as in supervisor's web.py.
      ['/index.html?action=refresh&processname=broken', 'action=stop&processname=sleeper', 'sleeper'],
      ['/', 'processname=broken&action=start', 'broken'],
    ];
    for (const [path, form, name] of steps) {
      const [svdStatus, svdMessage] = await get(svd.port, path, {}, form);
      const [supStatus, supMessage] = await get(sup.port, path, {}, form);
      assert.equal(svdMessage, supMessage, `${path} ${form}`);
      assert.ok(svdStatus >= 300 && svdStatus < 400 && supStatus >= 300 && supStatus < 400, path);
      assert.equal(await state(svd, name), await state(sup, name), `${path} ${form}: ${name}'s state`);
    }
  },
);

test(
  'a request another site sent (Sec-Fetch-Site, Origin or Referer) does not act',
  { timeout: 60_000 },
  async () => {
    const svd = await startControlDaemon('svd', { body: BODY, inet: true });
    daemons.push(svd);
    const foreign: Record<string, string>[] = [
      { 'Sec-Fetch-Site': 'cross-site' },
      { Referer: 'https://evil.example/' },
      { Origin: 'https://evil.example' },
      // A navigation Chromium makes to a plain-http LAN address from another site: no Sec-Fetch-*.
      { 'Upgrade-Insecure-Requests': '1', Accept: 'text/html,application/xhtml+xml,*/*;q=0.8' },
    ];
    for (const headers of foreign) {
      const [status, message] = await get(svd.port, '/index.html?processname=sleeper&action=stop', headers);
      assert.deepEqual([status, message], [303, ''], JSON.stringify(headers));
      assert.equal(await state(svd, 'sleeper'), 'RUNNING');
      const [postStatus, postMessage] = await get(
        svd.port,
        '/index.html',
        headers,
        'action=stop&processname=sleeper',
      );
      assert.deepEqual([postStatus, postMessage], [303, ''], `POST ${JSON.stringify(headers)}`);
      assert.equal(await state(svd, 'sleeper'), 'RUNNING');
    }
  },
);
