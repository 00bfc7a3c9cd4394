import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ManagedProcess } from './managed-process.js';
import { NotRunningError } from './errors.js';
import { allfunc, promised, type Later, type Outcome, type Settle } from './process-commands.js';
import { SerialQueue } from './serial-queue.js';

// allfunc reads only a process's name and group: stand-ins are enough.
const proc = (name: string) => ({ name, group: 'g' }) as unknown as ManagedProcess;
const a = proc('a');
const b = proc('b');
const c = proc('c');
const d = proc('d');

function queue(): SerialQueue {
  return new SerialQueue(
    () => {},
    (e) => {
      throw e;
    },
  );
}

/** Operations that end when the test says: each process's settle, once its operation was issued. */
function laterOps() {
  const settles = new Map<ManagedProcess, Settle>();
  const op =
    (p: ManagedProcess): Later =>
    (settle) =>
      void settles.set(p, settle);
  return { settles, op };
}

test('results known when issued come first, then those waited for, each part in issue order', async () => {
  const { settles, op } = laterOps();
  const ops = (p: ManagedProcess): Outcome => {
    if (p === b) return true;
    if (p === d) throw new NotRunningError('g:d');
    return op(p);
  };
  let ended = false;
  const all = allfunc(
    queue(),
    () => [a, b, c, d],
    () => true,
    ops,
  ).then((r) => ((ended = true), r));
  await new Promise((r) => setImmediate(r));
  assert.deepEqual([...settles.keys()], [a, c]);
  settles.get(c)!(null);
  await new Promise((r) => setImmediate(r));
  assert.equal(ended, false, 'a has not ended yet');
  settles.get(a)!(new NotRunningError('g:a'));
  const results = await all;
  assert.deepEqual(
    results.map((r) => [r.name, r.status, r.description]),
    [
      ['b', 80, 'OK'],
      ['d', 70, 'NOT_RUNNING: g:d'],
      ['a', 70, 'NOT_RUNNING: g:a'],
      ['c', 80, 'OK'],
    ],
  );
});

test('processes the predicate leaves out get no result; with none to wait for it answers at once', async () => {
  const results = await allfunc(
    queue(),
    () => [a, b, c],
    (p) => p !== b,
    () => true,
  );
  assert.deepEqual(
    results.map((r) => r.name),
    ['a', 'c'],
  );
  assert.deepEqual(
    await allfunc(
      queue(),
      () => [],
      () => true,
      () => true,
    ),
    [],
  );
});

test('an error that is not a fault (a bug) fails the whole call, issued now or ended later', async () => {
  await assert.rejects(
    allfunc(
      queue(),
      () => [a],
      () => true,
      () => {
        throw new TypeError('bug now');
      },
    ),
    /bug now/,
  );
  const { settles, op } = laterOps();
  const all = allfunc(
    queue(),
    () => [a, b],
    () => true,
    op,
  );
  await new Promise((r) => setImmediate(r));
  settles.get(a)!(new TypeError('bug later'));
  await assert.rejects(all, /bug later/);
});

test('with runEach, each operation is a job of its own, and a refused job gives its fault as the result', async () => {
  const { settles, op } = laterOps();
  const jobs: (() => void)[] = [];
  const refused = new NotRunningError('g:b');
  let calls = 0;
  const all = allfunc(
    queue(),
    () => [a, b, c],
    () => true,
    op,
    (job) =>
      new Promise<void>((resolve, reject) => {
        if (calls++ === 1) return reject(refused);
        // As the engine's paced starts: the job runs later, and its promise settles once it ran.
        jobs.push(() => {
          job();
          resolve();
        });
      }),
  );
  await new Promise((r) => setImmediate(r));
  assert.equal(jobs.length, 2);
  jobs.forEach((job) => job());
  assert.deepEqual([...settles.keys()], [a, c]);
  settles.get(c)!(null);
  settles.get(a)!(null);
  assert.deepEqual(
    (await all).map((r) => [r.name, r.description]),
    [
      ['b', 'NOT_RUNNING: g:b'],
      ['a', 'OK'],
      ['c', 'OK'],
    ],
  );
});

test('promised turns an outcome into what a single operation awaits', async () => {
  assert.equal(promised(true), true);
  assert.equal(await promised((settle) => settle(null)), true);
  await assert.rejects(
    promised((settle) => settle(new NotRunningError('x'))) as Promise<true>,
    /NOT_RUNNING: x/,
  );
});
