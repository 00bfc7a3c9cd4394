// The YAML -> INI converter against supervisor's own parser: a YAML configuration with awkward values (quotes,
// %, spaces, line breaks, non-ASCII, environment maps, merge keys, numprocs templates, listeners and fcgi pools)
// is written as INI by `svd config --format ini`'s renderer; supervisor must read that INI to the settings svd
// reads from the YAML, and svd must read it back to the same effective document.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { effectiveDocument } from '../../src/config/effective-document.js';
import { loadConfig } from '../../src/config/load.js';
import { renderConfig } from '../../src/config/render-config.js';
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
    command: /bin/cat
    events: [PROCESS_STATE, TICK_60]
    numprocs: 2
    process_name: '%(program_name)s_%(process_num)d'
    buffer_size: 20
fcgi_programs:
  fc:
    command: /bin/cat
    socket: unix://%(here)s/fc.sock
    numprocs: 2
    process_name: 'fc%(process_num)d'
groups:
  g1:
    programs: [wide, hashy]
    priority: 3
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
});
