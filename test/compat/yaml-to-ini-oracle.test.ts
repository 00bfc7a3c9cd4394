// The YAML -> INI converter against supervisor's own parser: a YAML configuration with awkward values (quotes,
// %, spaces, line breaks, non-ASCII, environment maps, merge keys, numprocs templates, listeners and fcgi pools
// whose processes each have their own command, environment, logfile and directory, pools of no processes) is
// written as INI by `svd config --format ini`'s renderer; supervisor must read that INI to the settings svd
// reads from the YAML, and svd must read it back to the same effective document. An INI of such pools, converted
// to INI and through YAML, is read by supervisor as it reads the original.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { effectiveDocument } from '../../src/config/effective-document.js';
import { loadConfig } from '../../src/config/load.js';
import { renderConfig } from '../../src/config/render-config.js';
import type { GroupSpec } from '../../src/model/config.js';
import { formatDiagnostic } from '../../src/model/diagnostics.js';
import { assertGroupsAsSupervisor, parseWithSupervisor, supervisorMissing } from '../support/oracle.js';

let dir = '';
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'svd-yaml-ini-'));
  mkdirSync(join(dir, 'a dir'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

const yaml = (d: string) => `
supervisord:
  logfile: ${d}/sd.log
  pidfile: ${d}/sd.pid
  childlogdir: ${d}
  environment: {GLOBAL: "g v", EMPTY: ""}
x-base: &base
  startsecs: 0
  stopwaitsecs: 3
  environment: &env
    SHARED: "it's"
    NUM: 3.10
programs:
  lines:
    <<: *base
    command: |-
      /bin/sh -c
      "echo hi"
    directory: "${d}/a dir"
    environment:
      <<: *env
      TEXT: "one\\ntwo\\n\\nfour"
      INNER: 'say "hi" now'
      PAD: "  pad  "
  wide:
    command: /bin/echo "héllo wörld" 日本 100%%
    stdout_logfile: "${d}/ünï.log"
    exitcodes: [0, 2]
    umask: 077
    autostart: no
    stopasgroup: yes
  tmpl:
    <<: *base
    command: /bin/sleep 10%(process_num)02d
    numprocs: 3
    numprocs_start: 5
    process_name: '%(program_name)s-%(process_num)d'
    environment: {N: '%(process_num)d', G: '%(group_name)s', P: '5%%'}
    stdout_logfile: '%(here)s/tmpl-%(process_num)d.log'
    stdout_logfile_maxbytes: 1KB
    priority: 5
  hashy:
    command: "/bin/echo a#b c;d"
    autorestart: unexpected
    stderr_logfile: NONE
    stopsignal: INT
eventlisteners:
  ev:
    command: /bin/cat --n=%(process_num)02d --of=%(numprocs)d
    events: [PROCESS_STATE, TICK_60]
    numprocs: 12
    numprocs_start: 3
    process_name: '%(program_name)s_%(process_num)d'
    buffer_size: 20
    environment: {N: '%(process_num)x', P: '5%%'}
    stdout_logfile: '%(here)s/ev-%(process_num)d-100%%%%.log'
    directory: '%(here)s/ev%(process_num)d'
  idle:
    command: /bin/cat
    events: [TICK_5]
    numprocs: 0
fcgi_programs:
  fc:
    command: daphne -u /run/daphne/daphne%(process_num)d.sock --fd 0 mysite.asgi:application
    socket: unix://%(here)s/fc.sock
    numprocs: 4
    process_name: 'fc%(process_num)d'
    environment: {SOCK: '/run/daphne/daphne%(process_num)d.sock'}
    stderr_logfile: '%(here)s/fc-%(process_num)d.err'
    directory: '/srv/fc%(process_num)d'
  fc_none:
    command: /bin/cat
    socket: tcp://localhost:8011
    numprocs: 0
groups:
  g1:
    programs: [wide, hashy]
    priority: 3
`;

/** Groups and their processes' specs, without where each was read (which differs between two files). */
const withoutSources = (groups: readonly GroupSpec[]) =>
  groups.map(({ source: _, processes, ...group }) => ({
    ...group,
    processes: processes.map(({ source: _s, ...p }) => p),
  }));

/** The Channels documentation's daphne pool, and an event listener pool, each process with values of its own. */
const pools = (d: string) => `[supervisord]
logfile=${d}/sd.log
pidfile=${d}/sd.pid

[fcgi-program:asgi]
socket=tcp://localhost:8000
command=daphne -u /run/daphne/daphne%(process_num)d.sock --fd 0 mysite.asgi:application
numprocs=4
process_name=asgi%(process_num)d
environment=N="%(process_num)02d",P="100%%"
stdout_logfile=%(here)s/asgi-%(process_num)d-%%%%.log
directory=/srv/asgi%(process_num)d

[eventlistener:lis]
command=/bin/cat --id=%(process_num)d
events=PROCESS_STATE
numprocs=4
numprocs_start=8
process_name=%(program_name)s_%(process_num)d
environment=ID="%(process_num)d"
stderr_logfile=%(here)s/lis-%(process_num)d.err
directory=/srv/lis%(process_num)d

[eventlistener:idle]
command=/bin/cat
events=TICK_5
numprocs=0
`;

describe('YAML -> INI against supervisor 4.2.5', { skip: supervisorMissing }, () => {
  test('supervisor reads the converted INI to the settings svd reads from the YAML', () => {
    const yamlFile = join(dir, 'in.yaml');
    writeFileSync(yamlFile, yaml(dir));
    const fromYaml = loadConfig({ paths: [yamlFile] });
    assert.ok(fromYaml.config, fromYaml.diagnostics.map(formatDiagnostic).join('\n'));
    const rendered = renderConfig(effectiveDocument(fromYaml.config), 'ini');
    assert.deepEqual(rendered.warnings, []);
    const iniFile = join(dir, 'out.conf');
    writeFileSync(iniFile, rendered.text);

    const fromIni = loadConfig({ paths: [iniFile] });
    assert.ok(fromIni.config, fromIni.diagnostics.map(formatDiagnostic).join('\n'));
    assert.deepEqual(effectiveDocument(fromIni.config), effectiveDocument(fromYaml.config));
    // A pool keeps its section, so each of its processes has the very spec it had (programs become sections per process).
    const pooled = (groups: readonly GroupSpec[]) =>
      withoutSources(groups.filter((g) => g.kind === 'eventlistener' || g.kind === 'fcgi-program'));
    assert.deepEqual(pooled(fromIni.config.groups), pooled(fromYaml.config.groups));

    const oracle = parseWithSupervisor(iniFile);
    assert.ok(!('error' in oracle), `supervisor refused the INI: ${'error' in oracle ? oracle.error : ''}`);
    // The global environment is in each process's environment= of the INI, and in svd's program specs.
    const local = (env: unknown) =>
      Object.fromEntries(
        Object.entries(env as Record<string, string>).filter(([k]) => !['GLOBAL', 'EMPTY'].includes(k)),
      );
    assertGroupsAsSupervisor(fromYaml.config.groups, oracle.groups, (p, field, expected) =>
      field === 'environment'
        ? [local(p.environment), local(expected)]
        : [(p as unknown as Record<string, unknown>)[field], expected],
    );
    assert.deepEqual(oracle.supervisord.environment, { GLOBAL: 'g v', EMPTY: '' });
  });

  test('pools of processes with values of their own: supervisor reads the INI and the YAML->INI as the original', () => {
    const original = join(dir, 'pools.conf');
    writeFileSync(original, pools(dir));
    const expected = parseWithSupervisor(original);
    assert.ok(
      !('error' in expected),
      `supervisor refused the original: ${'error' in expected ? expected.error : ''}`,
    );
    const config = loadConfig({ configFile: original }).config;
    assert.ok(config);
    const yamlFile = join(dir, 'pools.yaml');
    writeFileSync(yamlFile, renderConfig(effectiveDocument(config), 'yaml').text);
    const fromYaml = loadConfig({ paths: [yamlFile] }).config;
    assert.ok(fromYaml);
    for (const [name, from] of [
      ['pools.out.conf', config],
      ['pools.yaml.conf', fromYaml],
    ] as const) {
      const converted = join(dir, name);
      const rendered = renderConfig(effectiveDocument(from), 'ini');
      assert.deepEqual(rendered.warnings, []);
      writeFileSync(converted, rendered.text);
      const oracle = parseWithSupervisor(converted);
      assert.ok(!('error' in oracle), `supervisor refused ${name}: ${'error' in oracle ? oracle.error : ''}`);
      assert.deepEqual(oracle.groups, expected.groups, name);
      const back = loadConfig({ configFile: converted }).config;
      assert.ok(back);
      assert.deepEqual(withoutSources(back.groups), withoutSources(config.groups), name);
    }
    const asgi = expected.groups.find((g) => g.name === 'asgi');
    assert.deepEqual(
      asgi?.processes.map((p) => p.command),
      [0, 1, 2, 3].map((n) => `daphne -u /run/daphne/daphne${n}.sock --fd 0 mysite.asgi:application`),
    );
  });
});
