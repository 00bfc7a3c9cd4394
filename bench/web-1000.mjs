#!/usr/bin/env node
// Measures the dashboard with 1,000 processes in headless chromium: the time to the first render of every row,
// and the time for a state change (one process stopped over the API) to reach the page. Prints JSON with the
// median of a few runs. Needs `npm run build` and /usr/bin/chromium. Usage: node bench/web-1000.mjs [RUNS]
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SVD = join(ROOT, 'dist', 'src', 'cli', 'bin', 'svd.js');
const CHROMIUM = '/usr/bin/chromium';
const N = 1000;
const RUNS = Number(process.argv[2] ?? process.env.WEB_BENCH_RUNS ?? 5);
const USER = 'bench';
const PASSWORD = 'bench-pw';
const AUTH = `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`;

const fail = (message) => {
  process.stderr.write(`web-1000: ${message}\n`);
  process.exit(2);
};
if (!existsSync(SVD)) fail(`${SVD} is missing: run npm run build first`);
if (!existsSync(CHROMIUM)) fail(`${CHROMIUM} is missing (apt-get install chromium)`);

const delay = (ms) => new Promise((r) => setTimeout(r, ms));

function median(xs) {
  const s = xs.filter(Number.isFinite).sort((a, b) => a - b);
  if (s.length === 0) return null;
  const mid = s.length >> 1;
  const m = s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
  const r = (x) => Math.round(x * 10) / 10;
  return { median: r(m), min: r(s[0]), max: r(s[s.length - 1]), samples: s.map(r) };
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function call(port, method, path) {
  return new Promise((resolve, reject) => {
    const headers = {
      Authorization: AUTH,
      ...(method === 'POST' ? { 'Content-Type': 'application/json' } : {}),
    };
    const req = request({ host: '127.0.0.1', port, method, path, headers, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode, json: text ? JSON.parse(text) : null }));
    });
    req.setTimeout(60_000, () => req.destroy(new Error(`${path} timed out`)));
    req.on('error', reject);
    req.end(method === 'POST' ? '{}' : undefined);
  });
}

async function waitRunning(port, deadlineMs) {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    try {
      const r = await call(port, 'GET', '/api/processes');
      if (r.status === 200 && r.json.processes.filter((p) => p.statename === 'RUNNING').length === N) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${N} processes were not RUNNING within ${deadlineMs} ms`);
    await delay(100);
  }
}

const dir = mkdtempSync(join(tmpdir(), 'svd-web-bench-'));
let daemon = null;
let browser = null;

async function cleanup() {
  if (browser) await browser.close().catch(() => undefined);
  if (daemon && daemon.exitCode === null) {
    const exited = new Promise((r) => daemon.once('exit', r));
    daemon.kill('SIGTERM');
    const hard = setTimeout(() => {
      try {
        process.kill(-daemon.pid, 'SIGKILL');
      } catch {
        // gone
      }
    }, 30_000);
    await exited;
    clearTimeout(hard);
  }
  rmSync(dir, { recursive: true, force: true });
}

process.once('SIGINT', () => void cleanup().then(() => process.exit(130)));

try {
  const port = await freePort();
  const sections = [
    `[supervisord]\nlogfile=${dir}/sd.log\npidfile=${dir}/sd.pid\nchildlogdir=${dir}\nloglevel=warn\nminfds=1024\n`,
    `[inet_http_server]\nport=127.0.0.1:${port}\nusername=${USER}\npassword=${PASSWORD}\n`,
  ];
  for (let i = 0; i < N; i++) {
    sections.push(
      `[program:p${String(i).padStart(4, '0')}]\ncommand=sleep 100000\nstartsecs=0\nstdout_logfile=NONE\nstderr_logfile=NONE\n`,
    );
  }
  writeFileSync(join(dir, 'sd.conf'), sections.join('\n'));

  const t0 = performance.now();
  daemon = spawn(process.execPath, [SVD, 'daemon', '-n', '-c', join(dir, 'sd.conf')], {
    stdio: ['ignore', 'ignore', 'inherit'],
    detached: true,
  });
  await waitRunning(port, 120_000);
  const daemonReady = performance.now() - t0;

  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  const firstRender = [];
  const pageReady = [];
  const snapshotArrived = [];
  const rowsBuilt = [];
  const stateChange = [];
  for (let run = 0; run < RUNS; run++) {
    // Credentials sent up front, as a browser does once it has them: playwright's httpCredentials answers each
    // 401 challenge through the driver, which would add its own round trips to what is measured.
    const context = await browser.newContext({
      extraHTTPHeaders: { Authorization: AUTH },
      viewport: { width: 1280, height: 900 },
    });
    try {
      const page = await context.newPage();
      const start = performance.now();
      await page.goto(`http://127.0.0.1:${port}/`);
      await page.waitForFunction(
        (n) => document.querySelectorAll('.row.proc').length === n && document.documentElement.dataset.ready,
        N,
        { timeout: 60_000, polling: 'raf' },
      );
      pageReady.push(performance.now() - start);
      // In-page: from navigation start to the frame that rendered every row, and its parts.
      const seen = await page.evaluate(() => window.svdFirstRender);
      firstRender.push(seen.at);
      snapshotArrived.push(seen.receivedAt);
      rowsBuilt.push(seen.buildMs);

      const ns = `p${String((run * 97) % N).padStart(4, '0')}`;
      await page.evaluate((name) => {
        const row = document.querySelector(`.row[data-ns="${name}"]`);
        window.benchSeen = new Promise((resolve) => {
          new MutationObserver(() => {
            if (row.dataset.state === 'STOPPED') resolve(Date.now());
          }).observe(row, { attributes: true, attributeFilter: ['data-state'] });
        });
      }, ns);
      const asked = Date.now();
      const stopped = call(port, 'POST', `/api/processes/${ns}/stop`);
      const shown = await page.evaluate(() => window.benchSeen);
      stateChange.push(shown - asked);
      await stopped;
      await call(port, 'POST', `/api/processes/${ns}/start`);
    } finally {
      await context.close();
    }
  }
  process.stdout.write(
    `${JSON.stringify(
      {
        bench: 'web-1000',
        processes: N,
        runs: RUNS,
        daemon_ready_ms: Math.round(daemonReady),
        first_render_ms: median(firstRender),
        snapshot_arrived_ms: median(snapshotArrived),
        rows_built_ms: median(rowsBuilt),
        page_ready_ms: median(pageReady),
        state_change_to_page_ms: median(stateChange),
        notes: {
          first_render_ms:
            'in the page: navigation start to the frame that rendered all rows (window.svdFirstRender.at)',
          snapshot_arrived_ms:
            'in the page: navigation start to the arrival of the first /api/events snapshot',
          rows_built_ms: 'in the page: building the 1,000 rows from that snapshot',
          page_ready_ms: 'from the bench: page.goto until every row is in the DOM',
          state_change_to_page_ms:
            'POST /api/processes/<p>/stop sent until the row shows STOPPED (includes the stop itself)',
        },
      },
      null,
      2,
    )}\n`,
  );
} finally {
  await cleanup();
}
