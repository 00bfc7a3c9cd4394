import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EffectiveConfig } from '../model/config.js';
import { formatDiagnostic } from '../model/diagnostics.js';
import { effectiveDocument } from './effective-document.js';
import { loadConfig } from './load.js';
import { renderConfig } from './render-config.js';

let dir = '';
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'svd-effective-document-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

function load(file: string, main: boolean): EffectiveConfig {
  const result = loadConfig(main ? { configFile: file } : { paths: [file] });
  assert.ok(result.config, result.diagnostics.map(formatDiagnostic).join('\n'));
  return result.config;
}

/** Every group with every process's effective spec, in a form two loads of different files can be compared in. */
function effective(config: EffectiveConfig) {
  return config.groups.map(({ source: _, processes, ...group }) => ({
    ...group,
    processes: processes.map(({ source: _s, ...p }) => p),
  }));
}

/**
 * `svd config --format ini` and `--format yaml` of `ini`, each read back: the same groups, and every process
 * with the same effective spec, as the original gives. Returns the rendered INI and the original's config.
 */
function roundTrip(name: string, ini: string): { text: string; config: EffectiveConfig } {
  const original = join(dir, `${name}.conf`);
  writeFileSync(original, ini);
  const config = load(original, true);
  for (const format of ['ini', 'yaml'] as const) {
    const warnings: string[] = [];
    const rendered = renderConfig(effectiveDocument(config, warnings), format);
    assert.deepEqual([...warnings, ...rendered.warnings], [], `${format}: nothing lost`);
    const out = join(dir, `${name}.out.${format === 'ini' ? 'conf' : 'yaml'}`);
    writeFileSync(out, rendered.text);
    assert.deepEqual(effective(load(out, format === 'ini')), effective(config), `${format} read back`);
  }
  return { text: renderConfig(effectiveDocument(config), 'ini').text, config };
}

/** The [kind:name] section of a rendered INI, as its option lines. */
function section(text: string, header: string): Record<string, string> {
  const block = text.split('\n\n').find((b) => b.startsWith(`[${header}]\n`));
  assert.ok(block, `[${header}] is written`);
  return Object.fromEntries(
    block
      .split('\n')
      .slice(1)
      .map((line) => line.split(' = ') as [string, string]),
  );
}

describe('an event listener pool or fcgi program with numprocs > 1', () => {
  test('every process reads its own templated command, environment, logfiles and directory back', () => {
    for (const d of ['d0', 'd1', 'd2', 'd3', 'p8', 'p9', 'p10', 'p11'])
      mkdirSync(join(dir, d), { recursive: true });
    const { text, config } = roundTrip(
      'pools',
      [
        '[supervisord]',
        'environment=G="g"',
        // The Channels documentation's daphne example.
        '[fcgi-program:asgi]',
        'socket=tcp://localhost:8000',
        'command=daphne -u /run/daphne/daphne%(process_num)d.sock --fd 0 mysite.asgi:application',
        'numprocs=4',
        'process_name=asgi%(process_num)d',
        'environment=N="%(process_num)02d",P="5%%",H="%(here)s"',
        'stdout_logfile=%(here)s/asgi-%(process_num)d-100%%%%.log',
        'stderr_logfile=%(here)s/asgi-%(process_num)x.err',
        'directory=%(here)s/d%(process_num)d',
        // Sorted by name, pool10 and pool11 come before pool8: numprocs_start is still 8.
        '[eventlistener:pool]',
        'command=/bin/cat --n=%(process_num)03d --of=%(numprocs)d',
        'events=PROCESS_STATE,TICK_60',
        'numprocs=4',
        'numprocs_start=8',
        'process_name=%(program_name)s%(process_num)d',
        'environment=PORT="90%(process_num)02d",SAME="x y"',
        'stdout_logfile=%(here)s/pool-%(process_num)d.log',
        'stderr_logfile=%(here)s/pool-%(process_num)d.err',
        'directory=%(here)s/p%(process_num)d',
        'priority=5',
        '',
      ].join('\n'),
    );
    const asgi = config.groups.find((g) => g.name === 'asgi');
    assert.deepEqual(
      asgi?.processes.map((p) => [p.name, p.command, p.environment.N, p.directory]),
      [0, 1, 2, 3].map((n) => [
        `asgi${n}`,
        `daphne -u /run/daphne/daphne${n}.sock --fd 0 mysite.asgi:application`,
        `0${n}`,
        join(dir, `d${n}`),
      ]),
    );
    const fcgi = section(text, 'fcgi-program:asgi');
    assert.equal(
      fcgi.command,
      'daphne -u /run/daphne/daphne%(process_num)d.sock --fd 0 mysite.asgi:application',
    );
    assert.equal(fcgi.stdout_logfile, `${dir}/asgi-%(process_num)d-100%%%%.log`);
    assert.equal(fcgi.numprocs, '4');
    const pool = section(text, 'eventlistener:pool');
    assert.equal(pool.process_name, '%(program_name)s%(process_num)d');
    assert.equal(pool.numprocs_start, '8');
    // The longest literal text first: for 8 to 11, 0%(process_num)02d is %(process_num)03d.
    assert.equal(pool.command, '/bin/cat --n=0%(process_num)02d --of=4');
  });

  test('a process_num rendered as hexadecimal, space-padded or left-justified comes back the same', () => {
    const { config } = roundTrip(
      'formats',
      [
        '[supervisord]',
        '[eventlistener:fmt]',
        'command=/bin/echo [%(process_num)x] [%(process_num)4d] [%(process_num)-3d] [%(process_num)#o]',
        'events=TICK_5',
        'numprocs=20',
        'numprocs_start=3',
        'process_name=f%(process_num)02d',
        '',
      ].join('\n'),
    );
    assert.equal(config.groups[0]?.processes.length, 20);
  });

  test('a process_name naming the host is written with the host it names, and gives the same names', () => {
    const file = join(dir, 'host.conf');
    writeFileSync(
      file,
      '[supervisord]\n[eventlistener:h]\ncommand=/bin/cat\nevents=TICK_5\nnumprocs=12\nprocess_name=%(host_node_name)s-%(process_num)02d\n',
    );
    const config = load(file, true);
    const text = renderConfig(effectiveDocument(config), 'ini').text;
    assert.equal(section(text, 'eventlistener:h').process_name, `${hostname()}-%(process_num)02d`);
    const out = join(dir, 'host.out.conf');
    writeFileSync(out, text);
    const names = (c: EffectiveConfig) => c.groups[0]?.processes.map((p) => p.name);
    assert.deepEqual(names(load(out, true)), names(config));
  });

  test("a value no template of svd gives is written as the first process's, with a warning naming it", () => {
    const file = join(dir, 'exotic.conf');
    writeFileSync(
      file,
      '[supervisord]\n[eventlistener:e]\ncommand=/bin/echo %(process_num).3e\nevents=TICK_5\nnumprocs=2\nnumprocs_start=9\nprocess_name=e%(process_num)d\n',
    );
    const warnings: string[] = [];
    const doc = effectiveDocument(load(file, true), warnings) as {
      eventlisteners: Record<string, Record<string, unknown>>;
    };
    assert.equal(doc.eventlisteners.e?.command, '/bin/echo 9.000e+00');
    assert.deepEqual(warnings, [
      "[eventlistener:e] command: its values differ between the processes in a way no %(process_num) template gives; every process reads e9's",
    ]);
  });
});

describe('a pool with numprocs=0', () => {
  test('is written without a command, and reads back to a group without processes', () => {
    const { text } = roundTrip(
      'empty',
      [
        '[supervisord]',
        '[eventlistener:e]',
        'command=/bin/cat',
        'events=TICK_5',
        'numprocs=0',
        '[fcgi-program:f]',
        'command=/bin/cat',
        'socket=tcp://localhost:8001',
        'numprocs=0',
        '',
      ].join('\n'),
    );
    assert.equal(section(text, 'eventlistener:e').command, undefined);
    assert.equal(section(text, 'fcgi-program:f').numprocs, '0');
  });

  test('needs no command, as in supervisor: it makes no process to run one', () => {
    const { text } = roundTrip(
      'no-command',
      [
        '[supervisord]',
        '[program:p]',
        'numprocs=0',
        '[eventlistener:e]',
        'events=TICK_5',
        'numprocs=0',
        '[fcgi-program:f]',
        'socket=tcp://localhost:8001',
        'numprocs=0',
        '',
      ].join('\n'),
    );
    assert.equal(section(text, 'program:p').numprocs, '0');
    assert.equal(section(text, 'program:p').command, undefined);
    assert.equal(section(text, 'eventlistener:e').events, 'TICK_5');
    assert.equal(section(text, 'fcgi-program:f').socket, 'tcp://localhost:8001');
  });
});
