// The dashboard in Debian's chromium (headless, driven by playwright-core) against a real daemon with real
// processes: live states, actions, a followed log, the config view's apply, auth, phone width and dark mode.
// SVD_UPDATE_SCREENSHOT=1 rewrites docs/dashboard.png.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { killAllSpawned } from '../support/cleanup.js';
import { repoRoot } from '../support/paths.js';
import { fixture } from '../support/real-engine.js';
import { PASSWORD, USER, startDashboardDaemon, type DashboardDaemon } from './support/dashboard-daemon.js';

// The callbacks given to page.evaluate and waitForFunction run in the page: the globals they use.
interface PageElement {
  readonly textContent: string | null;
}
declare const document: {
  querySelector(selector: string): PageElement | null;
  querySelectorAll(selector: string): { readonly length: number };
  getElementById(id: string): PageElement | null;
  readonly body: PageElement;
  readonly documentElement: { readonly scrollWidth: number };
};
declare const window: { readonly innerWidth: number };
declare function getComputedStyle(element: PageElement): {
  readonly color: string;
  readonly backgroundColor: string;
};

const CHROMIUM = '/usr/bin/chromium';
const skip = existsSync(CHROMIUM) ? false : `${CHROMIUM} is missing (.ci/run installs Debian's chromium)`;
const SLEEP = fixture('sleep-forever');
const EXIT_AFTER = fixture('exit-after');
const ECHOER = `/bin/sh -c 'n=0; trap "n=\\$((n+1)); echo got-usr1-\\$n" USR1; echo ready; while :; do sleep 0.1; done'`;

const PROGRAMS = `
[program:web]
command=${SLEEP}
startsecs=0

[program:echoer]
command=${ECHOER}
startsecs=0

[program:worker]
command=${SLEEP}
numprocs=3
process_name=%(program_name)s_%(process_num)d
startsecs=0

[program:broken]
command=/bin/false
startsecs=1
startretries=0

[program:batch]
command=${EXIT_AFTER} 0 3
startsecs=0
autorestart=false

[program:slow]
command=${SLEEP}
startsecs=3600

[program:ghost]
command=/nonexistent/ghost
autostart=false
`;

const LAUNCH_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

describe('the dashboard in chromium', { skip }, () => {
  let d: DashboardDaemon;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  before(async () => {
    d = await startDashboardDaemon(PROGRAMS);
    await d.until(
      (l) =>
        l.some((p) => p.namespec === 'broken' && p.statename === 'FATAL') &&
        l.some((p) => p.namespec === 'batch' && p.statename === 'EXITED') &&
        l.filter((p) => p.statename === 'RUNNING').length === 5,
      'the starting states',
    );
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: LAUNCH_ARGS,
      timeout: 30_000,
    });
  });

  after(async () => {
    try {
      for (const c of contexts) await c.close().catch(() => undefined);
      await browser?.close();
    } finally {
      try {
        await d?.stop();
      } finally {
        killAllSpawned();
      }
    }
  });

  /** A page logged in (or not), loaded and showing its first snapshot. */
  async function openPage(
    options: { auth?: boolean; width?: number; height?: number; dark?: boolean } = {},
  ): Promise<Page> {
    const context = await browser.newContext({
      httpCredentials: options.auth === false ? undefined : { username: USER, password: PASSWORD },
      viewport: { width: options.width ?? 1280, height: options.height ?? 760 },
      colorScheme: options.dark ? 'dark' : 'light',
    });
    contexts.push(context);
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    (page as Page & { errors?: string[] }).errors = errors;
    if (options.auth !== false) {
      await page.goto(d.url);
      await page.waitForSelector('html[data-ready]');
    }
    return page;
  }

  const rowState = (page: Page, ns: string) =>
    page.locator(`.row[data-ns="${ns}"]`).getAttribute('data-state', { timeout: 5000 });

  test(
    'lists every process with its coloured state, pid and description, and group headers',
    { timeout: 60_000 },
    async () => {
      const page = await openPage();
      assert.equal(await page.locator('.row.proc').count(), 9);
      assert.equal(await rowState(page, 'web'), 'RUNNING');
      assert.equal(await rowState(page, 'broken'), 'FATAL');
      assert.equal(await rowState(page, 'batch'), 'EXITED');
      assert.equal(await rowState(page, 'slow'), 'STARTING');
      assert.equal(await rowState(page, 'ghost'), 'STOPPED');
      const web = page.locator('.row[data-ns="web"]');
      assert.match((await web.locator('.c-pid').textContent()) ?? '', /^\d+$/);
      assert.match((await web.locator('.c-desc').textContent()) ?? '', /^pid \d+, uptime \d+:\d\d:\d\d$/);
      assert.equal(await page.locator('.row[data-ns="batch"] .c-exit').textContent(), '3');
      assert.equal(await page.locator('.row[data-ns="ghost"] .c-desc').textContent(), 'Not started');
      const colours = await page.evaluate(() =>
        ['web', 'broken'].map(
          (ns) => getComputedStyle(document.querySelector(`.row[data-ns="${ns}"] .state`)!).color,
        ),
      );
      assert.notEqual(colours[0], colours[1], 'RUNNING and FATAL differ in colour');
      const header = page.locator('.group[data-group="worker"] .ghead');
      assert.equal(await header.isVisible(), true);
      assert.match((await header.locator('.gcount').textContent()) ?? '', /3 processes · 3 running/);
      assert.equal(
        await page.locator('.group[data-group="web"] .ghead').isVisible(),
        false,
        'one-process groups have no header',
      );
      assert.deepEqual((page as Page & { errors?: string[] }).errors, []);
    },
  );

  test(
    'stop a process from its row and see STOPPED, start it and see RUNNING, without a reload',
    { timeout: 60_000 },
    async () => {
      const page = await openPage();
      await page.evaluate(() => ((window as unknown as { marker: number }).marker = 42));
      const row = page.locator('.row[data-ns="worker:worker_1"]');
      const pidBefore = await row.locator('.c-pid').textContent();
      await row.locator('[data-action="stop"]').click();
      await page.waitForSelector('.row[data-ns="worker:worker_1"][data-state="STOPPED"]');
      await page.waitForFunction(
        () => document.querySelector('.row[data-ns="worker:worker_1"] .msg')?.textContent === 'stopped',
      );
      assert.equal(await row.locator('.c-pid').textContent(), '');
      assert.equal(await row.locator('[data-action="start"]').isDisabled(), false);
      assert.equal(await row.locator('[data-action="stop"]').isDisabled(), true);
      await row.locator('[data-action="start"]').click();
      await page.waitForSelector('.row[data-ns="worker:worker_1"][data-state="RUNNING"]');
      assert.notEqual(await row.locator('.c-pid').textContent(), pidBefore);
      assert.equal(await page.evaluate(() => (window as unknown as { marker: number }).marker), 42);
      assert.equal((await d.fetch('/api/processes/worker:worker_1')).json.statename, 'RUNNING');
    },
  );

  test(
    'a failing action shows its error where it was clicked; group actions report per group',
    { timeout: 60_000 },
    async () => {
      const page = await openPage();
      await page.locator('.row[data-ns="ghost"] [data-action="start"]').click();
      const msg = page.locator('.row[data-ns="ghost"] .msg.error');
      await msg.waitFor();
      assert.match((await msg.textContent()) ?? '', /^NO_FILE: /);
      assert.equal(await page.locator('.group[data-group="worker"] .ghead .msg').textContent(), '');

      const group = page.locator('.group[data-group="worker"] .ghead');
      await group.locator('[data-action="restart"]').click();
      await page.waitForFunction(() =>
        /restarted: 3/.test(
          document.querySelector('.group[data-group="worker"] .ghead .msg')?.textContent ?? '',
        ),
      );
      await page.waitForFunction(
        () =>
          document.querySelectorAll('.group[data-group="worker"] .row[data-state="RUNNING"]').length === 3,
      );
    },
  );

  test('an action on every process asks for a second click first', { timeout: 60_000 }, async () => {
    const page = await openPage();
    const clear = page.locator('.scope-all button[data-action="clear"]');
    await clear.click();
    assert.equal(await clear.textContent(), 'Clear all logs?');
    assert.equal(await page.locator('.scope-all .msg').textContent(), '', 'nothing was sent yet');
    await clear.click();
    await page.waitForFunction(() =>
      /^log cleared: 9$/.test(document.querySelector('.scope-all .msg')?.textContent ?? ''),
    );
    assert.equal(await clear.textContent(), 'Clear logs');
  });

  test('the log panel follows a process log as the child writes to it', { timeout: 60_000 }, async () => {
    const page = await openPage();
    await page.locator('.row[data-ns="echoer"] .name').click();
    await page.locator('#logview').waitFor();
    await page.waitForFunction(() =>
      /^following /.test(document.getElementById('logview-status')?.textContent ?? ''),
    );
    for (const n of [1, 2]) {
      await page.selectOption('.row[data-ns="echoer"] select[data-action="signal"]', 'USR1');
      await page.waitForFunction(
        (count) => (document.getElementById('logview-text')?.textContent ?? '').includes(`got-usr1-${count}`),
        n,
      );
    }
    assert.equal(await page.locator('#logview-title').textContent(), 'echoer');
    // stderr is a separate log: switching shows it and leaves stdout's lines behind.
    await page.locator('#logview [data-channel="stderr"]').click();
    await page.waitForFunction(() =>
      /stderr/.test(document.getElementById('logview-status')?.textContent ?? ''),
    );
    assert.doesNotMatch((await page.locator('#logview-text').textContent()) ?? '', /got-usr1/);
    await page.locator('#logview-close').click();
    assert.equal(await page.locator('#logview').isHidden(), true);
  });

  test("supervisor's tail.html link opens the same log view", { timeout: 60_000 }, async () => {
    const page = await openPage();
    await page.goto(`${d.url}/tail.html?processname=echoer`);
    await page.waitForSelector('html[data-ready]');
    await page.locator('#logview').waitFor();
    assert.equal(await page.locator('#logview-title').textContent(), 'echoer');
  });

  test("the daemon log tab follows the daemon's own log", { timeout: 60_000 }, async () => {
    const page = await openPage();
    await page.locator('#tab-btn-daemonlog').click();
    await page.waitForFunction(() =>
      /supervisord started with pid/.test(document.getElementById('mainlog')?.textContent ?? ''),
    );
    await d.post('/api/processes/web/restart');
    await page.waitForFunction(() =>
      /stopped: web/.test(document.getElementById('mainlog')?.textContent ?? ''),
    );
  });

  test('filters by text and by state', { timeout: 60_000 }, async () => {
    const page = await openPage();
    await page.fill('#filter', 'worker_');
    await page.waitForFunction(() => document.querySelectorAll('.row.proc:not([hidden])').length === 3);
    await page.fill('#filter', '');
    await page.selectOption('#state-filter', 'problem');
    await page.waitForFunction(() => document.querySelectorAll('.row.proc:not([hidden])').length === 2);
    const shown = await page
      .locator('.row.proc:not([hidden])')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-ns')));
    assert.deepEqual(shown.sort(), ['batch', 'broken']);
    assert.equal(await page.locator('.group[data-group="worker"]').isHidden(), true);
  });

  test(
    'a config edit shows as the pending plan; Apply carries it out and the new process appears',
    { timeout: 90_000 },
    async () => {
      const page = await openPage();
      await page.locator('#tab-btn-config').click();
      await page.waitForFunction(() => /No changes/.test(document.getElementById('plan')?.textContent ?? ''));
      assert.equal(await page.locator('#plan-apply').isDisabled(), true);
      appendFileSync(d.conf, `\n[program:newbie]\ncommand=${SLEEP}\nstartsecs=0\n`);
      await page.locator('#plan-refresh').click();
      await page.locator('.pgroup[data-group="newbie"]').waitFor();
      assert.match(
        (await page.locator('.pgroup[data-group="newbie"]').textContent()) ?? '',
        /newbie: add, then start/,
      );
      assert.match((await page.locator('#plan .summary').textContent()) ?? '', /^Plan: 1 to add/);
      await page.locator('#plan-apply').click();
      await page.waitForFunction(() =>
        /Applied: 2 done, 0 failed/.test(document.getElementById('report')?.textContent ?? ''),
      );
      await page.waitForFunction(() => /No changes/.test(document.getElementById('plan')?.textContent ?? ''));
      await page.locator('#tab-btn-processes').click();
      await page.waitForSelector('.row[data-ns="newbie"][data-state="RUNNING"]');
    },
  );

  test(
    'without credentials the page, the API and the event stream are refused',
    { timeout: 60_000 },
    async () => {
      const page = await openPage({ auth: false });
      const statuses: number[] = [];
      page.on('response', (r) => statuses.push(r.status()));
      // The browser is challenged for credentials and has none to give: the navigation fails.
      await assert.rejects(page.goto(d.url), /ERR_INVALID_AUTH_CREDENTIALS/);
      assert.deepEqual(statuses, [401]);
      for (const path of ['/api/processes', '/api/events', '/api/log/web/follow', '/assets/app.js']) {
        const reply = await page.request.get(`${d.url}${path}`);
        assert.equal(reply.status(), 401, path);
      }
      const post = await page.request.post(`${d.url}/api/all/stop`, { data: {} });
      assert.equal(post.status(), 401);
      assert.equal((await d.fetch('/api/processes/web')).json.statename, 'RUNNING');
    },
  );

  test('usable at a phone width and readable in dark mode', { timeout: 60_000 }, async () => {
    const page = await openPage({ width: 390, height: 844, dark: true });
    const layout = await page.evaluate(() => ({
      scroll: document.documentElement.scrollWidth,
      width: window.innerWidth,
      background: getComputedStyle(document.body).backgroundColor,
      text: getComputedStyle(document.body).color,
    }));
    assert.ok(layout.scroll <= layout.width, `no sideways scrolling (${layout.scroll} > ${layout.width})`);
    const lum = (css: string) => {
      const [r = 0, g = 0, b = 0] = (css.match(/\d+/g) ?? []).map(Number);
      return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
    };
    assert.ok(lum(layout.background) < 0.2, `a dark background (${layout.background})`);
    assert.ok(lum(layout.text) > 0.7, `light text (${layout.text})`);
    const stop = page.locator('.row[data-ns="web"] [data-action="stop"]');
    assert.equal(await stop.isVisible(), true);
    const box = await stop.boundingBox();
    assert.ok(box && box.x + box.width <= 390, 'row actions fit the screen');
  });

  test(
    'a screenshot with processes in several states (SVD_UPDATE_SCREENSHOT=1 rewrites docs/dashboard.png)',
    { timeout: 60_000 },
    async () => {
      await d.post('/api/processes/worker:worker_2/stop');
      const page = await openPage({ width: 1280, height: 620 });
      await page.waitForSelector('.row[data-ns="worker:worker_2"][data-state="STOPPED"]');
      const states = await page
        .locator('.row.proc')
        .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-state')));
      for (const s of ['RUNNING', 'STOPPED', 'STARTING', 'EXITED', 'FATAL']) assert.ok(states.includes(s), s);
      const dir = mkdtempSync(join(tmpdir(), 'svd-shot-'));
      const out =
        process.env['SVD_UPDATE_SCREENSHOT'] === '1'
          ? join(repoRoot, 'docs', 'dashboard.png')
          : join(dir, 'dashboard.png');
      try {
        await page.screenshot({ path: out });
        const png = readFileSync(out);
        assert.equal(png.subarray(1, 4).toString(), 'PNG');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
  test(
    'behind a reverse proxy that serves it under a sub-path and rewrites Host, the page loads and acts',
    { timeout: 60_000 },
    async () => {
      // What nginx does with `location /ops/ { proxy_pass http://127.0.0.1:PORT/; }` and an X-Forwarded-Host.
      const proxy = createServer((req, res) => {
        const url = req.url ?? '/';
        if (!url.startsWith('/ops/')) {
          res.writeHead(404).end();
          return;
        }
        const headers = { ...req.headers, host: `127.0.0.1:${d.port}`, 'x-forwarded-host': req.headers.host };
        const upstream = request(
          { host: '127.0.0.1', port: d.port, method: req.method, path: url.slice('/ops'.length), headers },
          (up) => {
            res.writeHead(up.statusCode ?? 502, up.headers);
            up.pipe(res);
          },
        );
        upstream.on('error', () => res.destroy());
        req.pipe(upstream);
      });
      await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
      const port = (proxy.address() as AddressInfo).port;
      try {
        const context = await browser.newContext({ httpCredentials: { username: USER, password: PASSWORD } });
        contexts.push(context);
        const page = await context.newPage();
        page.setDefaultTimeout(15_000);
        await page.goto(`http://localhost:${port}/ops/`);
        await page.waitForSelector('html[data-ready]');
        assert.ok((await page.locator('.row.proc').count()) > 0);
        const row = page.locator('.row[data-ns="worker:worker_0"]');
        await row.locator('[data-action="stop"]').click();
        await page.waitForSelector('.row[data-ns="worker:worker_0"][data-state="STOPPED"]');
        await row.locator('[data-action="start"]').click();
        await page.waitForSelector('.row[data-ns="worker:worker_0"][data-state="RUNNING"]');
        await context.close();
      } finally {
        proxy.closeAllConnections();
        proxy.close();
      }
    },
  );
});
