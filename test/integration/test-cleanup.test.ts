// The tests' own cleanup: a daemon that a failed test leaves running is killed by the after-hook's
// killAllSpawned together with its children, which sit in process groups of their own (as a daemon starts them)
// and would otherwise outlive it, re-parented to init.
import { test } from 'node:test';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { allProcesses, eventually, killAllSpawned } from '../support/cleanup.js';
import { startDaemon, tempConfig } from '../support/daemon-process.js';
import { descendants } from '../support/event-daemon.js';
import { fixture } from '../support/real-engine.js';

test(
  'killAllSpawned takes a running daemon and its children in groups of their own',
  { timeout: 60_000 },
  async (t) => {
    const c = tempConfig(
      `[program:a]\ncommand=${fixture('sleep-forever')}\nstartsecs=0\n` +
        `[program:b]\ncommand=/bin/sh -c 'sleep 600 & exec sleep 600'\nstartsecs=0\nstopasgroup=true\n`,
    );
    t.after(c.cleanup);
    const run = startDaemon(['-n', '-c', c.conf]);
    const daemon = run.child.pid!;
    // A SIGKILLed daemon leaves its pipe folder for the next daemon to remove; none may come after this test.
    t.after(() => {
      for (const base of ['/dev/shm', tmpdir()].filter((b) => existsSync(b)))
        for (const name of readdirSync(base))
          if (name.startsWith(`svd-pipes-${daemon}-`))
            rmSync(join(base, name), { recursive: true, force: true });
    });
    // a, b and b's background sleep: three processes below the daemon, none in the daemon's group.
    await eventually(() => descendants(daemon).length === 3, 20_000, 'three processes under the daemon');
    const below = descendants(daemon);
    const groups = new Set(
      allProcesses()
        .filter((p) => below.includes(p.pid))
        .map((p) => p.pgrp),
    );
    assert.ok(!groups.has(daemon), 'the children are in groups of their own');
    killAllSpawned();
    assert.deepEqual(await run.exited, { code: null, signal: 'SIGKILL' });
    const alive = () => new Set(allProcesses().map((p) => p.pid));
    await eventually(() => below.every((pid) => !alive().has(pid)), 10_000, 'no child left');
  },
);
