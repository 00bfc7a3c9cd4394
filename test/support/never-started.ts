// Programs that never ran, for the tests of child log files created at the first spawn: each writes a line to
// stdout and one to stderr once started. Explicit paths are under the config's folder (%(here)s).

/** A command=line that writes `out` and `err`, then sleeps. */
export const talker = `command=/bin/sh -c 'echo out; echo err >&2; exec /bin/sleep 100000'`;

/** [program:explicit] (both logs by path), [program:redir] (redirect_stderr), [program:auto] (AUTO logs). */
export const neverStartedPrograms = `
[program:explicit]
${talker}
autostart=false
startsecs=0
stdout_logfile=%(here)s/explicit.out
stderr_logfile=%(here)s/explicit.err

[program:redir]
${talker}
autostart=false
startsecs=0
redirect_stderr=true
stdout_logfile=%(here)s/redir.out

[program:auto]
${talker}
autostart=false
startsecs=0
`;
