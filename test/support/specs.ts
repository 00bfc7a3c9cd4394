// Builders of ProcessSpec and GroupSpec with supervisor's defaults (schema `default`s), for tests.
import type { GroupSpec, ProcessSpec } from '../../src/model/config.js';

export type ProcessOverrides = Partial<ProcessSpec> & { readonly name: string };

/** A process spec named `name` in a group of the same name, every option at its default except the logs (NONE, so tests write no files). */
export function processSpec(o: ProcessOverrides): ProcessSpec {
  const stopasgroup = o.stopasgroup ?? false;
  return {
    command: '/bin/true',
    process_name: '%(program_name)s',
    numprocs: 1,
    numprocs_start: 0,
    priority: 999,
    autostart: true,
    startsecs: 1,
    startretries: 3,
    autorestart: 'unexpected',
    exitcodes: [0],
    stopsignal: 'TERM',
    stopwaitsecs: 10,
    killasgroup: o.killasgroup ?? stopasgroup,
    user: null,
    redirect_stderr: false,
    stdout_logfile: 'NONE',
    stdout_logfile_maxbytes: 52428800,
    stdout_logfile_backups: 10,
    stdout_capture_maxbytes: 0,
    stdout_events_enabled: false,
    stdout_syslog: false,
    stderr_logfile: 'NONE',
    stderr_logfile_maxbytes: 52428800,
    stderr_logfile_backups: 10,
    stderr_capture_maxbytes: 0,
    stderr_events_enabled: false,
    stderr_syslog: false,
    environment: {},
    directory: null,
    umask: null,
    serverurl: 'AUTO',
    group: o.name,
    program: o.name,
    process_num: 0,
    source: { file: '/test/supervisord.conf', line: 1, column: 1 },
    ...o,
    stopasgroup,
  };
}

/** A group holding `processes` (their `group` field is set to the group's name). */
export function groupSpec(
  name: string,
  processes: readonly ProcessOverrides[],
  o: Partial<Omit<GroupSpec, 'processes'>> = {},
): GroupSpec {
  return {
    name,
    kind: 'program',
    priority: 999,
    source: { file: '/test/supervisord.conf', line: 1, column: 1 },
    ...o,
    processes: processes.map((p) => processSpec({ program: name, ...p, group: name })),
  };
}

/** A one-process group whose group and process share `name` (the usual [program:x]). */
export function programGroup(o: ProcessOverrides): GroupSpec {
  return groupSpec(o.name, [o], { priority: o.priority ?? 999 });
}
