// The log layer against Debian's supervisor 4.2.5: AUTO log cleanup pattern, readLog/tail windows, strip_ansi.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isAutoLogName } from '../../src/logs/auto-log-name.js';
import { stripAnsi } from '../../src/logs/ansi-stripper.js';
import { readLogSlice, tailLog } from '../../src/logs/read-log.js';

const PYTHON = '/usr/bin/python3';
const ORACLE = new URL('../../../test/compat/logs-oracle.py', import.meta.url).pathname;
const hasOracle = spawnSync(PYTHON, ['-c', 'import supervisor.options'], { stdio: 'ignore' }).status === 0;

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'svd-logs-compat-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

function ask(request: unknown): Record<string, unknown[]> {
  return JSON.parse(
    execFileSync(PYTHON, [ORACLE], { input: JSON.stringify(request), timeout: 30_000 }).toString(),
  );
}

test(
  'readLog, tailProcessLog and AUTO cleanup agree with supervisor',
  { skip: !hasOracle && "supervisor's Python package is not installed" },
  async () => {
    const files = [join(dir, 'empty.log'), join(dir, 'twentyone.log')];
    writeFileSync(files[0]!, '');
    writeFileSync(files[1]!, '0123456789abcdefnf.d\n');
    const offsets = [-30, -21, -20, -5, -1, 0, 1, 5, 16, 20, 21, 22, 100];
    const lengths = [-5, -1, 0, 1, 5, 16, 21, 22, 100];
    const windows: Array<[string, number, number]> = [];
    for (const f of files) for (const o of offsets) for (const l of lengths) windows.push([f, o, l]);
    const autoNames = [
      'web-stdout---supervisor-abcdefgh.log',
      'web-stdout---supervisor-abcdefgh.log.3',
      'web-stdout---supervisor-abcdefgh.log.bak',
      'web-stdout---supervisor-abcdefgh.txt',
      '---supervisor-abc.log',
      'w---supervisor-.log',
      'w---supervisor-a.log',
      'w---supervisor-a b.log',
      'w---supervisorx-a.log',
      'a---b---supervisor-c.log',
      'supervisord.log',
    ];
    const answer = ask({ identifier: 'supervisor', autoNames, reads: windows, tails: windows, strips: [] });

    assert.deepEqual(
      autoNames.map((n) => isAutoLogName(n, 'supervisor')),
      answer.autoNames,
    );
    for (const [i, [path, offset, length]] of windows.entries()) {
      const ours = await readLogSlice(path, offset, length);
      const theirs = answer.reads![i] as { ok: boolean; text?: string; fault?: string };
      const where = `readLog(${offset}, ${length}) on ${path}`;
      if (theirs.ok) assert.deepEqual(ours, { ok: true, text: theirs.text }, where);
      else assert.equal(!ours.ok && ours.fault, theirs.fault, where);
      assert.deepEqual(
        await tailLog(path, offset, length),
        answer.tails![i],
        `tail(${offset}, ${length}) on ${path}`,
      );
    }
  },
);

test(
  'strip_ansi agrees with supervisor on sequences ending in its terminators',
  { skip: !hasOracle && "supervisor's Python package is not installed" },
  () => {
    const strips = [
      '\x1b[31mred\x1b[0m',
      'a\x1b[2Jb\x1b[Kc\x1b[10;5Hd\x1b[?25le\x1b[1;1f',
      '\x1b[Aup\x1b[Bdown\x1b[Cright\x1b[Dleft\x1b[6;1Rr\x1b[ss\x1b[uu\x1b[?1049h\x1b[?1049l\x1b[0p',
      'plain text, no escapes\n',
      'lone \x1b escape and \x1b\x1b[1mdouble',
    ];
    const answer = ask({ identifier: 'supervisor', autoNames: [], reads: [], tails: [], strips });
    assert.deepEqual(
      strips.map((s) => stripAnsi(Buffer.from(s, 'latin1')).toString('latin1')),
      answer.strips,
    );
  },
);
