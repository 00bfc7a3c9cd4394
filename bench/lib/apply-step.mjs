// Effect (files, processes, socket): the minimal-change step. One program's command changes in the config;
// svd runs `svd apply -c`, supervisor `supervisorctl -c … update`; both are timed as whole processes and the
// pids of every program are compared before and after (exactly one should change).
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, SUPERVISORCTL } from './daemon.mjs';
import { xmlrpcCall } from './xmlrpc.mjs';

/** name -> pid from a getAllProcessInfo answer. */
export function pidsOf(body) {
  const pids = new Map();
  for (const struct of body.split('<struct>').slice(1)) {
    const member = (key) =>
      new RegExp(`<name>${key}</name>\\s*<value>\\s*(?:<[a-z0-9]+>)?([^<]*)`).exec(struct)?.[1];
    const name = member('name');
    const group = member('group');
    if (name !== undefined)
      pids.set(group && group !== name ? `${group}:${name}` : name, Number(member('pid')));
  }
  return pids;
}

function run(cmd, args, timeoutMs) {
  return new Promise((resolve) => {
    const t = performance.now();
    const cp = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const out = [];
    cp.stdout.on('data', (c) => out.push(c));
    cp.stderr.on('data', (c) => out.push(c));
    const timer = setTimeout(() => cp.kill('SIGKILL'), timeoutMs);
    cp.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ ms: performance.now() - t, code, output: Buffer.concat(out).toString('utf8') });
    });
  });
}

/**
 * Changes `name`'s command in `conf`, applies it, waits until `name` is RUNNING again (via `watch`), and
 * returns {ms, pidsChanged, code, output}.
 */
export async function applyOneChange({ system, conf, socket, name, watch }) {
  const before = pidsOf((await xmlrpcCall(socket, 'supervisor.getAllProcessInfo')).body);
  const text = readFileSync(conf, 'utf8');
  const section = `[program:${name}]\ncommand=sleep 100000\n`;
  if (!text.includes(section)) throw new Error(`no section for ${name}`);
  writeFileSync(conf, text.replace(section, `[program:${name}]\ncommand=sleep 100001\n`));
  watch.poll();
  const successes = watch.successes.get(name) ?? 0;
  const [cmd, args] =
    system === 'svd'
      ? [process.execPath, [join(ROOT, 'dist/src/cli/bin/svd.js'), 'apply', '-c', conf]]
      : [SUPERVISORCTL, ['-c', conf, 'update']];
  const r = await run(cmd, args, 300_000);
  if (r.code !== 0) return { ms: null, code: r.code, output: r.output.slice(0, 400) };
  await watch.until((w) => (w.successes.get(name) ?? 0) > successes, 60_000, `${name} RUNNING after apply`);
  const after = pidsOf((await xmlrpcCall(socket, 'supervisor.getAllProcessInfo')).body);
  let pidsChanged = 0;
  for (const [k, pid] of before) if (after.get(k) !== pid) pidsChanged++;
  return { ms: r.ms, pidsChanged, code: r.code };
}
