import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BadNameError } from '../engine/errors.js';
import { FAULT_CODES, type FaultName } from '../model/faults.js';
import { answerOfError, statusOfFault } from './api-errors.js';
import { sseMessage } from './event-stream.js';
import { ctime, formQuery, pagePath, pageRequest, pythonQuote } from './legacy-ui.js';
import { Throttle, type ThrottleTimers } from './throttle.js';

test('every fault maps to a client or server error status', () => {
  for (const fault of Object.keys(FAULT_CODES) as FaultName[]) {
    const status = statusOfFault(fault);
    assert.ok(status >= 400 && status < 600, `${fault} -> ${status}`);
  }
  assert.equal(statusOfFault('BAD_NAME'), 404);
  assert.equal(statusOfFault('NOT_RUNNING'), 409);
  assert.equal(statusOfFault('SPAWN_ERROR'), 500);
  assert.equal(statusOfFault('SHUTDOWN_STATE'), 503);
});

test('an SvdError answers with its fault name, code and supervisor faultString; anything else is not answered', () => {
  assert.deepEqual(answerOfError(new BadNameError('nope')), {
    status: 404,
    body: { error: { fault: 'BAD_NAME', code: 10, message: 'BAD_NAME: nope' } },
  });
  assert.equal(answerOfError(new TypeError('bug')), null);
});

test('an SSE message is one event line and one data line of JSON, whatever the text holds', () => {
  assert.equal(sseMessage('log', 'a\nb\r\n'), 'event: log\ndata: "a\\nb\\r\\n"\n\n');
  assert.equal(sseMessage('update', { n: 1 }), 'event: update\ndata: {"n":1}\n\n');
});

test("supervisor's query actions act for a script, not for another site's page; tail.html opens the log view", () => {
  const host = '127.0.0.1:9001';
  assert.deepEqual(pageRequest('GET', '/', ''), { kind: 'page' });
  assert.deepEqual(pageRequest('GET', '/index.html', ''), { kind: 'page' });
  // curl, wget, monitoring: no Sec-Fetch-Site, Origin or Referer.
  assert.deepEqual(pageRequest('GET', '/', 'processname=web&action=stop', { host }), {
    kind: 'action',
    action: 'stop',
    namespec: 'web',
  });
  assert.deepEqual(pageRequest('GET', '/index.html', 'action=stopall', { host }), {
    kind: 'action',
    action: 'stopall',
    namespec: '',
  });
  const typed = { host, 'sec-fetch-site': 'none' };
  assert.equal(pageRequest('GET', '/', 'processname=web&action=restart', typed).kind, 'action', 'typed URL');
  const samePage = { host, 'sec-fetch-site': 'same-origin', referer: `http://${host}/` };
  assert.equal(pageRequest('GET', '/', 'processname=web&action=restart', samePage).kind, 'action');
  const oldPage = { host, 'upgrade-insecure-requests': '1', accept: 'text/html', referer: `http://${host}/` };
  assert.equal(pageRequest('GET', '/', 'processname=web&action=restart', oldPage).kind, 'action', 'own page');
  const wget = { host, accept: '*/*', 'user-agent': 'Wget/1.21' };
  assert.equal(pageRequest('GET', '/', 'processname=web&action=restart', wget).kind, 'action');
  for (const foreign of [
    { host, 'sec-fetch-site': 'cross-site' },
    { host, 'sec-fetch-site': 'same-site' },
    { host, referer: 'https://evil.example/page' },
    { host, origin: 'https://evil.example' },
    { host, referer: 'not a url' },
    // Chromium navigating from another site to a plain-http LAN address: no Sec-Fetch-*, Origin or Referer.
    { host, 'upgrade-insecure-requests': '1', accept: 'text/html,application/xhtml+xml,*/*;q=0.8' },
    { host, accept: 'text/html' },
  ]) {
    assert.deepEqual(
      pageRequest('GET', '/', 'processname=web&action=stop', foreign),
      { kind: 'redirect', location: './' },
      JSON.stringify(foreign),
    );
  }
  // What supervisor's page answers with HTTP 500 (a ValueError); from another site, only the page.
  assert.deepEqual(pageRequest('GET', '/', 'action=format-disk', { host }), { kind: 'bad-action' });
  assert.deepEqual(pageRequest('GET', '/', 'action=stop', { host }), { kind: 'bad-action' });
  assert.deepEqual(pageRequest('POST', '/', 'action=start&processname=', { host }), { kind: 'bad-action' });
  assert.deepEqual(pageRequest('GET', '/', 'action=format-disk', { host, 'sec-fetch-site': 'cross-site' }), {
    kind: 'redirect',
    location: './',
  });
  assert.deepEqual(pageRequest('GET', '/', 'action=&processname=web', { host }), {
    kind: 'redirect',
    location: './',
  });
  assert.deepEqual(pageRequest('GET', '/', 'message=Process%20web%20stopped', { host }), {
    kind: 'redirect',
    location: './',
  });
  // supervisor's status page is a POSTed form: a POST acts as a GET does, with the same checks.
  assert.deepEqual(pageRequest('POST', '/', 'processname=web&action=stop', { host }), {
    kind: 'action',
    action: 'stop',
    namespec: 'web',
  });
  assert.equal(
    pageRequest('POST', '/', 'processname=web&action=stop', { host, origin: 'https://evil.example' }).kind,
    'redirect',
  );
  assert.deepEqual(pageRequest('POST', '/', '', { host }), { kind: 'redirect', location: './' });
  assert.deepEqual(pageRequest('GET', '/tail.html', 'processname=web%3Aw1&limit=1024'), {
    kind: 'redirect',
    location: './#log=web%3Aw1',
  });
  assert.deepEqual(pageRequest('GET', '/tail.html', ''), { kind: 'redirect', location: './' });
  assert.deepEqual(pageRequest('GET', '/other.html', ''), { kind: 'not-found' });
});

test("formQuery reads fields as supervisor's page: a query field's first value, then the form's over it", () => {
  assert.equal(formQuery('action=stop&action=start&processname=a', ''), 'action=stop&processname=a');
  assert.equal(
    formQuery('action=stop&processname=a', 'processname=b&processname=grp%3Ac'),
    'action=stop&processname=grp%3Ac',
  );
  assert.equal(formQuery('', 'action=start&processname=web'), 'action=start&processname=web');
});

test("pythonQuote is Python's urllib.parse.quote; pagePath drops leading slashes as supervisor's page", () => {
  assert.equal(
    pythonQuote("No such process named grp:* (x)!'"),
    'No%20such%20process%20named%20grp%3A%2A%20%28x%29%21%27',
  );
  assert.equal(pythonQuote('a/b é~_.-'), 'a/b%20%C3%A9~_.-');
  assert.deepEqual(['//index.html', '///', '/', '/tail.html'].map(pagePath), [
    '/index.html',
    '/',
    '/',
    '/tail.html',
  ]);
});

test("ctime is Python's time.ctime, as supervisor's page messages carry it", () => {
  assert.equal(ctime(new Date(2026, 10, 1, 7, 5, 9)), 'Sun Nov  1 07:05:09 2026');
  assert.equal(ctime(new Date(2026, 11, 24, 17, 45, 0)), 'Thu Dec 24 17:45:00 2026');
});

/** Timers run by hand: `advance` fires what is due, in order. */
function manualTimers() {
  let now = 1000;
  let seq = 0;
  const due = new Map<number, { at: number; fn: () => void }>();
  const timers: ThrottleTimers = {
    now: () => now,
    set: (fn, ms) => {
      due.set(++seq, { at: now + ms, fn });
      return seq;
    },
    clear: (h) => void due.delete(h as number),
  };
  const advance = (ms: number) => {
    const end = now + ms;
    for (;;) {
      const next = [...due.entries()].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
      if (!next) break;
      due.delete(next[0]);
      now = next[1].at;
      next[1].fn();
    }
    now = end;
  };
  return { timers, advance, scheduled: () => due.size };
}

test('a throttle runs a lone request at once and a burst as one run per interval', () => {
  const { timers, advance, scheduled } = manualTimers();
  let runs = 0;
  const t = new Throttle(() => runs++, 100, timers);
  t.request();
  t.request();
  assert.equal(scheduled(), 1);
  advance(0);
  assert.equal(runs, 1);
  // Within the interval: held until it ends, however many requests arrive.
  advance(10);
  for (let i = 0; i < 50; i++) t.request();
  advance(89);
  assert.equal(runs, 1);
  advance(1);
  assert.equal(runs, 2);
  // Long after: at once again.
  advance(500);
  t.request();
  advance(0);
  assert.equal(runs, 3);
  t.request();
  t.cancel();
  advance(1000);
  assert.equal(runs, 3);
  assert.equal(t.pending, false);
});
