// Pure: a ProcessSpec written as one object literal, so every spec shares one hidden class. A settings record
// filled option by option is a dictionary to V8, and a spread copy of one gets a hidden class of its own:
// 2.5 KiB per process, held by the daemon for its whole life. tsc checks that the literal names every field.
import type { ProcessSpec, ProgramField, ProgramSettings } from '../model/config.js';

/** What makes a process one of its group besides its options. */
export type ProcessIdentity = Pick<ProcessSpec, 'name' | 'group' | 'program' | 'process_num' | 'source'>;

/** A ProcessSpec of `s`'s options and `id`, copied field by field into one object literal (one V8 shape). */
export function processSpecLiteral(s: ProgramSettings, id: ProcessIdentity): ProcessSpec {
  return {
    command: s.command,
    process_name: s.process_name,
    numprocs: s.numprocs,
    numprocs_start: s.numprocs_start,
    priority: s.priority,
    autostart: s.autostart,
    startsecs: s.startsecs,
    startretries: s.startretries,
    autorestart: s.autorestart,
    exitcodes: s.exitcodes,
    stopsignal: s.stopsignal,
    stopwaitsecs: s.stopwaitsecs,
    stopasgroup: s.stopasgroup,
    killasgroup: s.killasgroup,
    user: s.user,
    redirect_stderr: s.redirect_stderr,
    stdout_logfile: s.stdout_logfile,
    stdout_logfile_maxbytes: s.stdout_logfile_maxbytes,
    stdout_logfile_backups: s.stdout_logfile_backups,
    stdout_capture_maxbytes: s.stdout_capture_maxbytes,
    stdout_events_enabled: s.stdout_events_enabled,
    stdout_syslog: s.stdout_syslog,
    stderr_logfile: s.stderr_logfile,
    stderr_logfile_maxbytes: s.stderr_logfile_maxbytes,
    stderr_logfile_backups: s.stderr_logfile_backups,
    stderr_capture_maxbytes: s.stderr_capture_maxbytes,
    stderr_events_enabled: s.stderr_events_enabled,
    stderr_syslog: s.stderr_syslog,
    environment: s.environment,
    directory: s.directory,
    umask: s.umask,
    serverurl: s.serverurl,
    name: id.name,
    group: id.group,
    program: id.program,
    process_num: id.process_num,
    source: id.source,
  };
}

/**
 * A program's settings as one literal: each option's value where the section set it, else a fresh copy of its
 * default. A record filled option by option becomes a dictionary past a dozen options (measured: ~2.5 KiB and
 * most of the garbage of a 10,000-program load); this keeps one hidden class, and tsc checks every field.
 */
export function programSettingsLiteral(
  values: Readonly<Record<string, unknown>>,
  defaults: Readonly<Record<string, unknown>>,
): ProgramSettings {
  const pick = <K extends ProgramField>(k: K): ProgramSettings[K] => {
    const v = values[k] !== undefined ? values[k] : defaults[k];
    if (v === null || typeof v !== 'object') return v as ProgramSettings[K];
    return (Array.isArray(v) ? [...(v as unknown[])] : { ...(v as object) }) as ProgramSettings[K];
  };
  return {
    command: pick('command'),
    process_name: pick('process_name'),
    numprocs: pick('numprocs'),
    numprocs_start: pick('numprocs_start'),
    priority: pick('priority'),
    autostart: pick('autostart'),
    startsecs: pick('startsecs'),
    startretries: pick('startretries'),
    autorestart: pick('autorestart'),
    exitcodes: pick('exitcodes'),
    stopsignal: pick('stopsignal'),
    stopwaitsecs: pick('stopwaitsecs'),
    stopasgroup: pick('stopasgroup'),
    killasgroup: pick('killasgroup'),
    user: pick('user'),
    redirect_stderr: pick('redirect_stderr'),
    stdout_logfile: pick('stdout_logfile'),
    stdout_logfile_maxbytes: pick('stdout_logfile_maxbytes'),
    stdout_logfile_backups: pick('stdout_logfile_backups'),
    stdout_capture_maxbytes: pick('stdout_capture_maxbytes'),
    stdout_events_enabled: pick('stdout_events_enabled'),
    stdout_syslog: pick('stdout_syslog'),
    stderr_logfile: pick('stderr_logfile'),
    stderr_logfile_maxbytes: pick('stderr_logfile_maxbytes'),
    stderr_logfile_backups: pick('stderr_logfile_backups'),
    stderr_capture_maxbytes: pick('stderr_capture_maxbytes'),
    stderr_events_enabled: pick('stderr_events_enabled'),
    stderr_syslog: pick('stderr_syslog'),
    environment: pick('environment'),
    directory: pick('directory'),
    umask: pick('umask'),
    serverurl: pick('serverurl'),
  };
}
