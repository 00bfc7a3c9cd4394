// Effect (writes files): the supervisord.conf files the bench gives, unchanged, to both svd and supervisor.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MARK } from './procfs.mjs';

/** Program names sort in spawn order: p00000, p00001, … */
export function programName(i) {
  return `p${String(i).padStart(5, '0')}`;
}

/**
 * A session's config: N `sleep` programs (startsecs=0, autorestart=true, AUTO logs), a unix socket with the
 * supervisor RPC interface, the run mark in every child's environment, and optional extra program sections.
 * `childLogs: false` sets both child logs to NONE.
 * Returns the paths the session needs.
 */
export function writeSessionConfig({ dir, n, runId, childLogs = true, extraSections = '' }) {
  mkdirSync(join(dir, 'logs'), { recursive: true });
  const paths = {
    conf: join(dir, 'supervisord.conf'),
    log: join(dir, 'supervisord.log'),
    pidfile: join(dir, 'supervisord.pid'),
    socket: join(dir, 'supervisor.sock'),
    childlogdir: join(dir, 'logs'),
  };
  const parts = [
    `[unix_http_server]\nfile=${paths.socket}\n`,
    // The main log never rotates, so the bench can follow it from one offset.
    `[supervisord]\nlogfile=${paths.log}\nlogfile_maxbytes=0\npidfile=${paths.pidfile}\n` +
      `childlogdir=${paths.childlogdir}\nloglevel=info\nminfds=1024\nenvironment=${MARK}="${runId}"\n`,
    `[rpcinterface:supervisor]\nsupervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface\n`,
    `[supervisorctl]\nserverurl=unix://${paths.socket}\n`,
  ];
  // Without child logs a program holds 3 fds in the daemon instead of 5: how 5,000 fit under 20,000.
  const logs = childLogs ? '' : 'stdout_logfile=NONE\nstderr_logfile=NONE\n';
  for (let i = 0; i < n; i++) {
    parts.push(`[program:${programName(i)}]\ncommand=sleep 100000\nstartsecs=0\nautorestart=true\n${logs}`);
  }
  if (extraSections) parts.push(extraSections);
  writeFileSync(paths.conf, parts.join('\n'));
  return paths;
}

/**
 * The config-load corpus: a main file including 100 files that hold `programs` programs between them, each
 * with the options a real program section carries (expansions, environment, log settings).
 */
export function writeLoadCorpus({ dir, programs, files = 100 }) {
  const confd = join(dir, 'conf.d');
  mkdirSync(confd, { recursive: true });
  mkdirSync(join(dir, 'logs'), { recursive: true });
  const main = join(dir, 'supervisord.conf');
  writeFileSync(
    main,
    `[supervisord]\nlogfile=${join(dir, 'supervisord.log')}\npidfile=${join(dir, 'supervisord.pid')}\n` +
      `childlogdir=${join(dir, 'logs')}\n\n[unix_http_server]\nfile=${join(dir, 'sock')}\n\n` +
      `[rpcinterface:supervisor]\nsupervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface\n\n` +
      `[include]\nfiles = conf.d/*.conf\n`,
  );
  const perFile = Math.ceil(programs / files);
  for (let f = 0; f < files; f++) {
    const sections = [];
    for (let j = 0; j < perFile && f * perFile + j < programs; j++) {
      const i = f * perFile + j;
      sections.push(
        `[program:${programName(i)}]\n` +
          `command=/usr/bin/sleep %(process_num)d0000\n` +
          `directory=%(here)s\n` +
          `priority=${(i % 50) + 1}\n` +
          `autostart=${i % 7 === 0 ? 'false' : 'true'}\n` +
          `autorestart=unexpected\n` +
          `startsecs=1\n` +
          `stopwaitsecs=5\n` +
          `environment=APP="${programName(i)}",PORT="${8000 + (i % 1000)}",HOME="/tmp"\n` +
          `stdout_logfile=${join(dir, 'logs')}/%(program_name)s.out\n` +
          `stdout_logfile_maxbytes=1MB\n` +
          `redirect_stderr=true\n`,
      );
    }
    writeFileSync(join(confd, `part${String(f).padStart(3, '0')}.conf`), sections.join('\n'));
  }
  return main;
}
