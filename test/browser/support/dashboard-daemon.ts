// A real daemon serving the dashboard on a loopback port with credentials, for the API and browser tests:
// started from a temp config, polled until it answers, stopped (and its children checked gone) in after-hooks.
import { spawn, type ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import { readFileSync } from 'node:fs';
import { trackGroup } from '../../support/cleanup.js';
import { tempConfig } from '../../support/daemon-process.js';
import { freePort } from '../../support/http-probe.js';

import { svdBin } from '../../support/paths.js';

export const USER = 'admin';
export const PASSWORD = 'sekrit-pw';
export const AUTH = `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`;

export interface Reply {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly text: string;
  /** The body parsed as JSON (undefined when it is not JSON). */
  readonly json: any;
}

export interface DashboardDaemon {
  readonly url: string;
  readonly port: number;
  readonly dir: string;
  readonly conf: string;
  readonly child: ChildProcess;
  /** One request; `auth: false` sends no credentials. */
  fetch(
    path: string,
    options?: { method?: string; body?: string; headers?: Record<string, string>; auth?: boolean },
  ): Promise<Reply>;
  /** POSTs JSON as the page does. */
  post(path: string, body?: unknown): Promise<Reply>;
  /** Polls /api/processes until `check` holds for the list, or fails after `ms`. */
  until(check: (processes: ProcessRow[]) => boolean, what: string, ms?: number): Promise<ProcessRow[]>;
  stdout(): string;
  /** SIGTERM, wait for exit (SIGKILL after 20 s); throws if a child it ran is still alive. */
  stop(): Promise<void>;
}

export interface ProcessRow {
  readonly namespec: string;
  readonly group: string;
  readonly name: string;
  readonly statename: string;
  readonly pid: number;
  readonly exitstatus: number;
  readonly description: string;
}

function send(
  port: number,
  path: string,
  options: { method?: string; body?: string; headers?: Record<string, string> },
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: options.method ?? 'GET',
        headers: options.headers,
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown;
          try {
            json = JSON.parse(text);
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
        });
        res.on('error', reject);
      },
    );
    req.setTimeout(30_000, () => req.destroy(new Error(`request ${path} timed out`)));
    req.on('error', reject);
    req.end(options.body);
  });
}

const delay = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Starts the daemon with `programs` (config sections) and waits until its server answers. */
export async function startDashboardDaemon(programs: string): Promise<DashboardDaemon> {
  const port = await freePort();
  const { dir, conf, cleanup } = tempConfig(
    `[inet_http_server]\nport=127.0.0.1:${port}\nusername=${USER}\npassword=${PASSWORD}\n\n${programs}`,
    'loglevel=info',
  );
  const child = spawn(process.execPath, [svdBin, 'daemon', '-n', '-c', conf], {
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  if (child.pid) trackGroup(child.pid);
  let out = '';
  child.stdout?.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr?.on('data', (b: Buffer) => (out += b.toString()));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  let gone = false;
  void exited.then(() => (gone = true));

  const fetch: DashboardDaemon['fetch'] = (path, options = {}) =>
    send(port, path, {
      method: options.method,
      body: options.body,
      headers: { ...(options.auth === false ? {} : { Authorization: AUTH }), ...options.headers },
    });
  const until: DashboardDaemon['until'] = async (check, what, ms = 20_000) => {
    const deadline = Date.now() + ms;
    let last: ProcessRow[] = [];
    for (;;) {
      const reply = await fetch('/api/processes');
      if (reply.status === 200) {
        last = (reply.json as { processes: ProcessRow[] }).processes;
        if (check(last)) return last;
      }
      if (Date.now() > deadline) {
        const states = last.map((p) => `${p.namespec}=${p.statename}`).join(' ');
        throw new Error(`timed out waiting for ${what} (${states})`);
      }
      await delay(50);
    }
  };

  const stop = async (): Promise<void> => {
    if (gone) return cleanup();
    let pids: number[] = [];
    try {
      const reply = await fetch('/api/processes');
      pids = ((reply.json as { processes: ProcessRow[] } | undefined)?.processes ?? [])
        .map((p) => p.pid)
        .filter((pid) => pid > 0);
    } catch {
      // Not answering: its children are still checked through the process groups the tests remember.
    }
    child.kill('SIGTERM');
    const hard = setTimeout(() => {
      if (child.pid) process.kill(-child.pid, 'SIGKILL');
    }, 20_000);
    await exited;
    clearTimeout(hard);
    cleanup();
    const alive = pids.filter((pid) => {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        return !/^\d+ \(.*\) Z/.test(stat);
      } catch {
        return false;
      }
    });
    for (const pid of alive) process.kill(pid, 'SIGKILL');
    if (alive.length > 0)
      throw new Error(`children left running after the daemon stopped: ${alive.join(', ')}`);
  };

  const daemon: DashboardDaemon = {
    url: `http://127.0.0.1:${port}`,
    port,
    dir,
    conf,
    child,
    fetch,
    post: (path, body = {}) =>
      fetch(path, {
        method: 'POST',
        body: JSON.stringify(body),
        headers: { 'Content-Type': 'application/json' },
      }),
    until,
    stdout: () => out,
    stop,
  };
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (gone) throw new Error(`the daemon exited at startup:\n${out}`);
    try {
      if ((await fetch('/ok.html')).status === 200) return daemon;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      await stop().catch(() => undefined);
      throw new Error(`the daemon did not answer within 20 s:\n${out}`);
    }
    await delay(50);
  }
}
