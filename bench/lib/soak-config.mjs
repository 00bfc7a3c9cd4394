// Effect (writes files): the soak run's programs and config. About 30 programs of the kinds a long-lived
// daemon meets: crash loops (shell and node) that go EXITED, BACKOFF and FATAL, long runners that print
// continuously into small rotating child logs, a capture-mode printer with stdout events, a group, a
// numprocs program, and one event listener on PROCESS_STATE and TICK_5. Every child inherits the run's mark
// through [supervisord] environment=, so the harness can find (and kill) whatever is left.
import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MARK } from './procfs.mjs';

/**
 * A real python3, not a pyenv shim: a shim is a bash script that runs pyenv before python, three processes
 * and ~50 ms of CPU per start, which would dominate the load of the long runners' restarts.
 */
export const PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';

// Lives 0.2–2 s (chosen from its pid, so no extra fork), then exits with $1, or with a pid-chosen code in
// 0..3 when $1 is "rand". `sleep` is a child of the shell: stopasgroup=true in its sections takes it down too.
const CRASH_SH = `#!/bin/sh
n=$(( $$ % 19 + 2 ))
echo "crash $$ lives $n00 ms"
sleep $((n / 10)).$((n % 10))
if [ "$1" = rand ]; then exit $(( ($$ / 7) % 4 )); fi
exit "\${1:-0}"
`;

const CRASH_NODE = `setTimeout(() => { console.log('node crash', process.pid); process.exit(3); }, 200 + Math.random() * 1800);
`;

// printer.py BYTES_PER_SECOND [both|capture]: ~100-byte lines at that rate, forever. "both" writes every
// other line to stderr; "capture" adds a capture-mode block every 2 s (stdout_capture_maxbytes).
const PRINTER_PY = `import sys, time, os
rate = int(sys.argv[1]); mode = sys.argv[2] if len(sys.argv) > 2 else ''
line = ('%d ' % os.getpid()) + 'x' * 90
period = len(line) / rate
i = 0
while True:
    i += 1
    out = sys.stderr if mode == 'both' and i % 2 else sys.stdout
    out.write('%d %s\\n' % (i, line)); out.flush()
    if mode == 'capture' and i % max(1, int(2 / period)) == 0:
        sys.stdout.write('<!--XSUPERVISOR:BEGIN-->captured %d<!--XSUPERVISOR:END-->\\n' % i); sys.stdout.flush()
    time.sleep(period)
`;

// The listener protocol by hand (no childutils): READY, a header line, a payload of len bytes, RESULT 2 OK.
// It counts what it saw on stderr every 100 events, so its stderr log shows it is alive.
const LISTENER_PY = `import sys
seen = 0
while True:
    sys.stdout.write('READY\\n'); sys.stdout.flush()
    header = sys.stdin.readline()
    if not header:
        break
    fields = dict(t.split(':', 1) for t in header.split())
    payload = sys.stdin.read(int(fields['len']))
    seen += 1
    if seen % 100 == 0:
        sys.stderr.write('seen %d events, last %s\\n' % (seen, fields['eventname'])); sys.stderr.flush()
    sys.stdout.write('RESULT 2\\nOK'); sys.stdout.flush()
`;

/** Programs the load may stop and start, signal, or clear the logs of (by namespec). */
export const TARGETS = {
  stopStart: [
    'crash_ok_1',
    'crash_fatal_1',
    'crash_codes_1',
    'printer_1',
    'printer_redirect',
    'capture',
    'sleeper_1',
    'sleeper_2',
    'grp:grp_a',
    'worker:worker_01',
  ],
  // Single-process programs only: a signal that kills a crash loop's shell would orphan its sleep.
  signal: ['sleeper_1', 'sleeper_2', 'sleeper_3', 'printer_1', 'printer_2', 'worker:worker_00'],
  logs: ['printer_1', 'printer_2', 'printer_3', 'printer_redirect', 'capture'],
};

function program(name, body) {
  return `[program:${name}]\n${body.trim()}\n`;
}

/** Writes the scripts; returns the program sections, base config, as a list of strings. */
function sections(dir) {
  const bin = join(dir, 'bin');
  mkdirSync(bin, { recursive: true });
  const crash = join(bin, 'crash.sh');
  writeFileSync(crash, CRASH_SH);
  chmodSync(crash, 0o755);
  writeFileSync(join(bin, 'crash.js'), CRASH_NODE);
  writeFileSync(join(bin, 'printer.py'), PRINTER_PY);
  writeFileSync(join(bin, 'listener.py'), LISTENER_PY);
  const printer = `${PYTHON} ${join(bin, 'printer.py')}`;
  const smallLogs =
    'stdout_logfile_maxbytes=50KB\nstdout_logfile_backups=2\nstderr_logfile_maxbytes=50KB\nstderr_logfile_backups=2';
  const out = [];
  for (let i = 1; i <= 4; i++) {
    out.push(program(`crash_ok_${i}`, `command=${crash} 0\nstartsecs=0\nautorestart=true\nstopasgroup=true`));
  }
  for (let i = 1; i <= 2; i++) {
    // Exits 1 after 0.2–2 s with startsecs=1: below 1 s it is BACKOFF, three of those in a row FATAL.
    out.push(
      program(
        `crash_fatal_${i}`,
        `command=${crash} 1\nstartsecs=1\nstartretries=2\nautorestart=true\nstopasgroup=true`,
      ),
    );
  }
  for (let i = 1; i <= 2; i++) {
    // Codes 0 and 2 are expected (stays EXITED), 1 and 3 are not (restarted).
    out.push(
      program(
        `crash_codes_${i}`,
        `command=${crash} rand\nstartsecs=0\nexitcodes=0,2\nautorestart=unexpected\nstopasgroup=true`,
      ),
    );
  }
  out.push(
    program(
      'crash_node',
      `command=${process.execPath} ${join(bin, 'crash.js')}\nstartsecs=0\nautorestart=true`,
    ),
  );
  for (let i = 1; i <= 4; i++) {
    // 5 KB/s into 50 KB logs: a rotation every ~10 s each.
    out.push(
      program(`printer_${i}`, `command=${printer} 5000 both\nstartsecs=0\nautorestart=true\n${smallLogs}`),
    );
  }
  out.push(
    program(
      'printer_redirect',
      `command=${printer} 5000 both\nstartsecs=0\nautorestart=true\nredirect_stderr=true\n${smallLogs}`,
    ),
  );
  out.push(
    program(
      'capture',
      `command=${printer} 2000 capture\nstartsecs=0\nautorestart=true\nstdout_capture_maxbytes=1KB\nstdout_events_enabled=true\n${smallLogs}`,
    ),
  );
  for (let i = 1; i <= 7; i++) {
    out.push(program(`sleeper_${i}`, `command=sleep 100000\nstartsecs=0\nautorestart=true`));
  }
  out.push(program('grp_a', 'command=sleep 100000\nstartsecs=0\nautorestart=true'));
  out.push(program('grp_b', `command=${printer} 1000\nstartsecs=0\nautorestart=true\n${smallLogs}`));
  out.push(program('grp_c', `command=${crash} 0\nstartsecs=0\nautorestart=true\nstopasgroup=true`));
  out.push('[group:grp]\nprograms=grp_a,grp_b,grp_c\n');
  out.push(
    program(
      'worker',
      'command=sleep 100000\nprocess_name=%(program_name)s_%(process_num)02d\nnumprocs=4\nstartsecs=0\nautorestart=true',
    ),
  );
  out.push(
    `[eventlistener:listener]\ncommand=${PYTHON} ${join(bin, 'listener.py')}\nevents=PROCESS_STATE,TICK_5\n` +
      `autorestart=true\nbuffer_size=100\nstderr_logfile_maxbytes=50KB\nstderr_logfile_backups=2\n`,
  );
  return out;
}

/**
 * The edits the load applies and then reverts, one at a time: a program added, one removed, one whose
 * command changes (restart class), one whose log size changes (in place).
 */
export const EDITS = [
  {
    what: 'add extra',
    edit: (text, dir) =>
      `${text}\n${program('extra', `command=${join(dir, 'bin', 'crash.sh')} 0\nstartsecs=0\nautorestart=true\nstopasgroup=true`)}`,
  },
  { what: 'remove sleeper_5', edit: (text) => text.replace(/\[program:sleeper_5\]\n[^[]*/, '') },
  {
    what: 'change sleeper_4 command',
    edit: (text) =>
      text.replace('[program:sleeper_4]\ncommand=sleep 100000', '[program:sleeper_4]\ncommand=sleep 100001'),
  },
  {
    what: 'change printer_4 log size',
    edit: (text) =>
      text.replace(
        /(\[program:printer_4\][^[]*)stdout_logfile_maxbytes=50KB/,
        '$1stdout_logfile_maxbytes=40KB',
      ),
  },
];

/** How many processes the base config lists: its sections, numprocs=4 counting 4, the listener. */
export function processCount(text) {
  return text.match(/^\[(program|eventlistener):/gm).length + 3;
}

/** Writes the scripts and the base config; returns the paths the run needs and the base text. */
export function writeSoakConfig({ dir, runId }) {
  mkdirSync(join(dir, 'logs'), { recursive: true });
  const paths = {
    dir,
    conf: join(dir, 'supervisord.conf'),
    log: join(dir, 'supervisord.log'),
    pidfile: join(dir, 'supervisord.pid'),
    socket: join(dir, 'supervisor.sock'),
    childlogdir: join(dir, 'logs'),
  };
  const text = [
    `[unix_http_server]\nfile=${paths.socket}\n`,
    // The main log rotates too (1 MB, 3 backups): its size is sampled, and rotation is one more path.
    `[supervisord]\nlogfile=${paths.log}\nlogfile_maxbytes=1MB\nlogfile_backups=3\npidfile=${paths.pidfile}\n` +
      `childlogdir=${paths.childlogdir}\nloglevel=info\nminfds=1024\nenvironment=${MARK}="${runId}"\n`,
    `[rpcinterface:supervisor]\nsupervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface\n`,
    `[supervisorctl]\nserverurl=unix://${paths.socket}\n`,
    ...sections(dir),
  ].join('\n');
  writeFileSync(paths.conf, text);
  return { paths, text };
}
