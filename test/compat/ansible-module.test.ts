// Ansible's community.general.supervisorctl module, as roles run it: one playbook against Debian's supervisord
// with its supervisorctl, and against svd's daemon with svd's supervisorctl bin as supervisorctl_path. The
// module parses `status` lines and greps `NAME: started`, `NAME: added process group`...; every task's
// changed/failed/msg and the processes' final states must be equal. Skipped without ansible.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { running } from '../support/ctl-compare.js';
import { mask, sideBySide, type ControlDaemon } from '../support/control-daemon.js';
import { supervisorMissing } from '../support/oracle.js';
import { repoRoot } from '../support/paths.js';
import { fixture } from '../support/real-engine.js';

const ansibleMissing =
  spawnSync('/usr/bin/python3', ['-c', 'import ansible_collections.community.general'], { stdio: 'ignore' })
    .status === 0 && spawnSync('ansible-playbook', ['--version'], { stdio: 'ignore' }).status === 0
    ? false
    : 'ansible with community.general is not installed (apt-get install -y ansible)';
const skip = supervisorMissing || ansibleMissing;

const svdSupervisorctl = join(repoRoot, 'dist', 'src', 'cli', 'bin', 'supervisorctl.js');

const body = (extra = ''): string => `
[program:web]
command=${fixture('sleep-forever')}

[program:worker]
command=${fixture('sleep-forever')}
numprocs=2
process_name=%(program_name)s_%(process_num)02d
startsecs=0

[program:idle]
command=${fixture('sleep-forever')}
autostart=false
startsecs=0

[program:broken]
command=/nonexist/prog
autostart=false
${extra}`;

const newp = `
[program:newp]
command=${fixture('sleep-forever')}
startsecs=0
`;

/** [label, module arguments, check mode]; every task runs with ignore_errors so the playbook goes on. */
const tasks: [string, Record<string, string>, boolean?][] = [
  ['started, already running', { name: 'web', state: 'started' }],
  ['stopped, check mode', { name: 'web', state: 'stopped' }, true],
  ['stopped', { name: 'web', state: 'stopped' }],
  ['stopped again', { name: 'web', state: 'stopped' }],
  ['started', { name: 'web', state: 'started' }],
  ['restarted', { name: 'web', state: 'restarted' }],
  ['signalled', { name: 'web', state: 'signalled', signal: 'CONT' }],
  ['signalled, bad signal', { name: 'web', state: 'signalled', signal: 'FOO' }],
  ['signalled, not running', { name: 'idle', state: 'signalled', signal: 'CONT' }],
  ['group stopped', { name: 'worker:', state: 'stopped' }],
  ['group started', { name: 'worker:', state: 'started' }],
  ['group:* is no name', { name: 'worker:*', state: 'started' }],
  ['started, spawn error', { name: 'broken', state: 'started' }],
  ['started, no such process', { name: 'nosuch', state: 'started' }],
  ['present, no such process', { name: 'nosuch', state: 'present' }],
  ['absent, no such process', { name: 'nosuch', state: 'absent' }],
  ['present, check mode', { name: 'newp', state: 'present' }, true],
  ['present', { name: 'newp', state: 'present' }],
  ['present again', { name: 'newp', state: 'present' }],
  ['absent, still running', { name: 'newp', state: 'absent' }],
  ['stopped before absent', { name: 'newp', state: 'stopped' }],
  ['absent', { name: 'newp', state: 'absent' }],
  ['absent again', { name: 'newp', state: 'absent' }],
];

function playbook(d: ControlDaemon, supervisorctl: string): string {
  const lines = ['- hosts: localhost', '  gather_facts: false', '  tasks:'];
  for (const [label, args, check] of tasks) {
    const params = { ...args, config: d.conf, supervisorctl_path: supervisorctl };
    lines.push(`  - name: ${JSON.stringify(label)}`);
    lines.push(`    community.general.supervisorctl: ${JSON.stringify(params)}`);
    lines.push('    ignore_errors: true');
    if (check) lines.push('    check_mode: true');
  }
  return `${lines.join('\n')}\n`;
}

interface TaskResult {
  readonly task: string;
  readonly changed?: boolean;
  readonly failed?: boolean;
  readonly msg?: string;
  readonly stdout?: string;
  readonly affected?: string[];
}

/** Runs the playbook with the json callback; one entry per task, masked for the daemon's paths. */
async function runPlaybook(d: ControlDaemon, supervisorctl: string): Promise<TaskResult[]> {
  const file = join(d.dir, 'playbook.yml');
  writeFileSync(file, playbook(d, supervisorctl));
  const env = {
    ...process.env,
    ANSIBLE_HOME: join(d.dir, 'ansible'),
    ANSIBLE_LOCAL_TEMP: join(d.dir, 'ansible-tmp'),
    // The module's temp dir is otherwise made under the user's home from the password database (nobody's is
    // /nonexistent), and left in a developer's ~/.ansible/tmp.
    ANSIBLE_REMOTE_TEMP: join(d.dir, 'ansible-remote-tmp'),
    ANSIBLE_STDOUT_CALLBACK: 'json',
    ANSIBLE_PYTHON_INTERPRETER: '/usr/bin/python3',
    ANSIBLE_LOCALHOST_WARNING: 'False',
    ANSIBLE_NOCOLOR: '1',
  };
  const { stdout } = await promisify(execFile)(
    'ansible-playbook',
    ['-i', 'localhost,', '-c', 'local', file],
    { env, timeout: 150_000, maxBuffer: 16 << 20 },
  );
  const report = JSON.parse(stdout.slice(stdout.indexOf('{'))) as {
    plays: { tasks: { task: { name: string }; hosts: Record<string, Record<string, unknown>> }[] }[];
  };
  return (report.plays[0]?.tasks ?? []).map(({ task, hosts }) => {
    const h = hosts['localhost'] ?? {};
    const pick = (k: string): unknown => (typeof h[k] === 'string' ? mask(h[k], d.dir) : h[k]);
    return {
      task: task.name,
      changed: pick('changed'),
      failed: pick('failed'),
      msg: pick('msg'),
      stdout: pick('stdout'),
      affected: pick('affected'),
    } as TaskResult;
  });
}

const daemons = sideBySide(
  { body: body() },
  {
    skip,
    ready: async (d) => {
      await running(d, 3);
      d.rewrite(body(newp));
    },
  },
);

test(
  "a playbook of every state gives svd's supervisorctl the results supervisorctl gives",
  { skip, timeout: 170_000 },
  async () => {
    const [real, svd] = daemons();
    const [want, got] = await Promise.all([
      runPlaybook(real, '/usr/bin/supervisorctl'),
      runPlaybook(svd, svdSupervisorctl),
    ]);
    assert.equal(want.length, tasks.length);
    // mask() drops the `: file: ... line: N` that supervisorctl's generic error line ends with.
    assert.deepEqual(got, want);
    const states = async (d: ControlDaemon): Promise<string> =>
      mask((await d.supervisorctl(['status'])).stdout, d.dir).replace(/ +/g, ' ');
    assert.equal(await states(svd), await states(real));
  },
);
