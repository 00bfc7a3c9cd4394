// The wording and place of config errors whose verdict supervisor 4.2.5 shares: each case is refused (or taken)
// by Debian's supervisor as by svd, and svd's line names the file, line, column and option with a hint that is
// true for that section.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { currentHost } from '../../src/config/config-host.js';
import { loadConfig, loadControlSettings } from '../../src/config/load.js';
import { formatDiagnostic } from '../../src/model/diagnostics.js';
import { parseWithSupervisor, supervisorMissing, type OracleResult } from '../support/oracle.js';

const dir = mkdtempSync(join(tmpdir(), 'svd-messages-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function conf(name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, `[supervisord]\nlogfile=${dir}/sd.log\npidfile=${dir}/sd.pid\n${text}`);
  return file;
}

function svdLines(file: string, cwd?: string): string[] {
  const host = cwd === undefined ? undefined : { ...currentHost(), cwd };
  return loadConfig({ configFile: file, host }).diagnostics.map(formatDiagnostic);
}

function oracleError(file: string, cwd?: string): string {
  const oracle: OracleResult = parseWithSupervisor(file, cwd);
  assert.ok('error' in oracle, `supervisor refuses ${file}`);
  return oracle.error;
}

const unset = ['SVD_MSG_LOGDIR', 'SVD_MSG_CONFD', 'SVD_MSG_HOST'];

describe('config messages against supervisor 4.2.5', { skip: supervisorMissing }, () => {
  test('the variables these cases need unset are unset', () => {
    for (const name of unset) assert.equal(process.env[name], undefined, name);
  });

  test("[supervisord] environment= does not apply to [supervisord]'s own options: the hint names the start's environment alone", () => {
    const file = conf('own.conf', 'environment=SVD_MSG_LOGDIR="/tmp"\nchildlogdir=%(ENV_SVD_MSG_LOGDIR)s\n');
    assert.match(oracleError(file), /'supervisord\.childlogdir' contains names \('ENV_SVD_MSG_LOGDIR'\)/);
    assert.deepEqual(svdLines(file), [
      `${file}:5:13: error: childlogdir: %(ENV_SVD_MSG_LOGDIR) cannot be expanded in '%(ENV_SVD_MSG_LOGDIR)s'; available names: here, ENV_<NAME> (set SVD_MSG_LOGDIR in the environment svd starts in; [supervisord] environment= applies to program and server sections, not to [supervisord]'s own options)`,
    ]);
  });

  test('nor to [include] files=, which is expanded first: worded as the other expansion errors, with its hint', () => {
    const file = conf(
      'inc.conf',
      'environment=SVD_MSG_CONFD="/tmp"\n[include]\nfiles=%(ENV_SVD_MSG_CONFD)s/*.conf\n',
    );
    assert.match(oracleError(file), /'include\.files' contains names \('ENV_SVD_MSG_CONFD'\)/);
    assert.deepEqual(svdLines(file), [
      `${file}:6:7: error: files: %(ENV_SVD_MSG_CONFD) cannot be expanded in '%(ENV_SVD_MSG_CONFD)s/*.conf'; available names: here, host_node_name, ENV_<NAME> (set SVD_MSG_CONFD in the environment svd starts in; [include] files= is expanded before [supervisord] environment= is read)`,
    ]);
  });

  test('it applies to the servers, groups and programs: both take them, and so does svd ctl -f', () => {
    const file = conf(
      'applies.conf',
      `environment=SVD_MSG_DIR="${dir}",SVD_MSG_PROG="a"\n` +
        '[unix_http_server]\nfile=%(ENV_SVD_MSG_DIR)s/s.sock\n' +
        '[group:g]\nprograms=%(ENV_SVD_MSG_PROG)s\n' +
        '[program:a]\ncommand=/bin/ls %(ENV_SVD_MSG_DIR)s\n',
    );
    assert.ok(!('error' in parseWithSupervisor(file)));
    assert.notEqual(loadConfig({ configFile: file }).config, null);
    const control = loadControlSettings({ configFile: file });
    assert.deepEqual(control.diagnostics.map(formatDiagnostic), []);
    assert.equal(control.settings?.unix_http_server?.file, `${dir}/s.sock`);
  });

  test("a %(name) without its conversion: Python's words, at the fault's column, with the likely fix", () => {
    const command =
      '/usr/local/bin/celery -n %(program_name)s-%(group_name)-%(process_num)02d -A deployer worker --loglevel=INFO';
    const file = conf('celery.conf', `[program:celery]\ncommand=${command}\n`);
    const python = /is badly formatted: (.*?) in section /.exec(oracleError(file))?.[1];
    assert.equal(python, "unsupported format character '%' (0x25) at index 56");
    const column = 'command='.length + 1 + command.indexOf('%(process_num)');
    assert.deepEqual(svdLines(file), [
      `${file}:5:${column}: error: command: '/usr/local/bin/celery -n %(program_name)s-%(group_name)-%(process_num)02d -A ...' is badly formatted: ${python} (%(group_name) lacks its conversion character: write %(group_name)s)`,
    ]);
    // With the name unset too, Python names the name (it looks it up first); svd says both.
    const both = conf(
      'celery-env.conf',
      '[program:celery]\ncommand=celery -n %(ENV_SVD_MSG_HOST)-%(process_num)02d\n',
    );
    assert.match(oracleError(both), /contains names \('ENV_SVD_MSG_HOST'\)/);
    assert.match(
      svdLines(both)[0] ?? '',
      /\(%\(ENV_SVD_MSG_HOST\) lacks its conversion character: write %\(ENV_SVD_MSG_HOST\)s; SVD_MSG_HOST is not set either: set SVD_MSG_HOST in the environment svd starts in, in \[supervisord\] environment=, or in \[program:celery\] environment=\)$/,
    );
  });

  test('[supervisorctl]: supervisorctl takes a bare %s (the table of names in its place) and refuses %d; the warning says which', () => {
    const bare = conf('ctl-s.conf', '[supervisorctl]\nusername=u\npassword=p%ss\n');
    const taken = parseWithSupervisor(bare);
    assert.ok(!('error' in taken) && taken.supervisorctl !== undefined, 'supervisorctl reads the file');
    assert.match(String(taken.supervisorctl.password), /^p\{'ENV_/);
    assert.deepEqual(svdLines(bare), [
      `${bare}:6:11: warning: password: <hidden password> is badly formatted; supervisord does not read [supervisorctl], but svd ctl refuses this file, and supervisorctl reads the value with its whole table of names in place of the unnamed conversion (write %% for a literal %)`,
    ]);
    const number = conf('ctl-d.conf', '[supervisorctl]\nusername=u\npassword=p%ds\n');
    const refused = parseWithSupervisor(number);
    assert.ok(!('error' in refused) && refused.supervisorctl === undefined, 'supervisorctl refuses the file');
    assert.match(
      svdLines(number)[0] ?? '',
      /; supervisord does not read \[supervisorctl\], but supervisorctl and svd ctl refuse this file \(/,
    );
  });

  test('a relative log path checked from a start in / names /dir, not //dir', () => {
    assert.equal(existsSync('/svd-msg-surely-absent'), false);
    const file = conf(
      'root.conf',
      '[program:a]\ncommand=/bin/true\nstdout_logfile=svd-msg-surely-absent/uwsgi.log\n',
    );
    assert.match(oracleError(file, '/'), /svd-msg-surely-absent\/uwsgi\.log does not exist/);
    assert.deepEqual(svdLines(file, '/'), [
      `${file}:6:1: error: stdout_logfile: the directory /svd-msg-surely-absent of svd-msg-surely-absent/uwsgi.log does not exist`,
    ]);
  });
});
