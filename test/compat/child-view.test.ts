// What a child can observe about how it was started, under Debian's supervisord 4.2.5 and under svd (whichever
// spawner it uses: SVD_SPAWNER=node runs the fallback): ids and groups, umask, directory, environment, the kinds
// of its descriptors and nothing else open (the daemon holds an inherited pipe at fd 40,
// above those Node marks close-on-exec as it starts), the signal mask,
// limits, nice, OOM score and capabilities. What README's table of differences lists is compared as listed there.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nativeSpawnAvailable } from '../../src/adapters/native-spawn.js';
import { eventually } from '../support/cleanup.js';
import { childLog, sideBySide, type ControlDaemon } from '../support/control-daemon.js';
import { supervisorMissing as skip } from '../support/oracle.js';

const asRoot = process.getuid?.() === 0;
const folder = mkdtempSync(join(tmpdir(), 'svd-child-view-'));
chmodSync(folder, 0o755);
after(() => rmSync(folder, { recursive: true, force: true }));

// One JSON line on stdout. The shell reads its signal lines with builtins first (Python ignores SIGPIPE and
// SIGXFSZ as it starts), then becomes the probe.
const probe = join(folder, 'probe.py');
writeFileSync(
  probe,
  `import json, os, stat, sys
kinds = {stat.S_IFIFO: 'fifo', stat.S_IFSOCK: 'socket', stat.S_IFREG: 'file', stat.S_IFCHR: 'device'}
fds = {}
for fd in sorted(os.listdir('/proc/self/fd'), key=int):
    try:
        mode = os.fstat(int(fd)).st_mode
    except OSError:
        continue  # the listing's own descriptor
    flags = int(dict(l.split(':', 1) for l in open('/proc/self/fdinfo/' + fd))['flags'], 8)
    fds[fd] = [kinds.get(stat.S_IFMT(mode), '?'), flags & (os.O_ACCMODE | os.O_NONBLOCK | os.O_APPEND)]
status = dict(l.split(':', 1) for l in open('/proc/self/status'))
mask = os.umask(0)
print(json.dumps({
    'ids': [os.getresuid(), os.getresgid(), sorted(os.getgroups())],
    'umask': oct(mask), 'cwd': os.getcwd(), 'argv': sys.argv[1:],
    'env': sorted(k for k in os.environ if k not in ('SVD_SPAWNER',)),
    'session leader': os.getsid(0) == os.getpid(), 'group leader': os.getpgid(0) == os.getpid(),
    'fds': fds, 'signals': os.environ.get('SIGS', ''),
    'caps': [status[k].strip() for k in ('CapInh', 'CapPrm', 'CapEff', 'CapBnd', 'CapAmb', 'NoNewPrivs')],
    'limits': [l[:26].strip() + ' ' + l[26:].strip() for l in open('/proc/self/limits') if not l.startswith('Max open files')],
    'nice': os.nice(0), 'oom': open('/proc/self/oom_score_adj').read().strip(),
    'stdout reopens': os.access('/proc/self/fd/1', os.W_OK),
}, sort_keys=True), flush=True)
os.execv('/bin/sleep', ['sleep', '1000'])
`,
);

const command = (...args: string[]) =>
  `/bin/sh -c 'while read k v; do case $k in SigBlk:|SigIgn:) S="$S$k$v ";; esac; done < /proc/self/status; ` +
  `SIGS=$S exec /usr/bin/python3 ${probe} ${args.join(' ')}'`;

const body = `
[program:plain]
command=${command('a', 'b')}
startsecs=0
[program:shaped]
command=${command()}
directory=${folder}
umask=027
environment=EXTRA="1",PATH="/usr/bin:/bin"
redirect_stderr=true
startsecs=0
[fcgi-program:fcgi]
command=${command()}
socket=unix://${folder}/fcgi.sock
startsecs=0
${
  asRoot
    ? `[program:nobody]
command=${command()}
user=nobody
directory=/tmp
startsecs=0
`
    : ''
}`;

const daemons = sideBySide({ body, inheritedFd: 40 }, { skip });

const programs = ['plain', 'shaped', 'fcgi', ...(asRoot ? ['nobody'] : [])];

type View = Record<string, unknown>;

async function viewOf(d: ControlDaemon, program: string): Promise<View> {
  const log = () => childLog(d, program);
  await eventually(() => log().includes('\n'), 20_000, `${d.kind}: ${program}'s probe`);
  return JSON.parse(log().split('\n')[0] ?? '') as View;
}

test(
  "a child sees what supervisord's child sees, but for the differences README's table lists",
  { skip, timeout: 90_000 },
  async () => {
    const [real, svd] = daemons();
    for (const program of programs) {
      const theirs = await viewOf(real, program);
      const ours = await viewOf(svd, program);
      // README: SIGPIPE and SIGXFSZ stay ignored in supervisord's children; svd's ignore nothing.
      assert.equal(theirs['signals'], 'SigBlk:0000000000000000 SigIgn:0000000001001000 ');
      assert.equal(ours['signals'], 'SigBlk:0000000000000000 SigIgn:0000000000000000 ');
      // Nothing but the standard streams: not the daemon's inherited fd 40, its sockets or its logs. README: the
      // fallback cannot close a descriptor in the child, and puts /dev/null over it.
      const fds = ours['fds'] as Record<string, [string, number]>;
      const extra = Object.entries(fds).filter(([fd]) => Number(fd) > 2);
      if (nativeSpawnAvailable()) assert.deepEqual(extra, [], program);
      else for (const [fd, [kind]] of extra) assert.equal(kind, 'device', `${program}: fd ${fd}`);
      for (const fd of Object.keys(fds)) if (Number(fd) > 2) delete fds[fd];
      // A child leads its own process group, not a session. README: the fallback's child leads its own session.
      assert.deepEqual([theirs['group leader'], theirs['session leader']], [true, false]);
      assert.deepEqual([ours['group leader'], ours['session leader']], [true, !nativeSpawnAvailable()]);
      const same = (v: View) => {
        const { signals: _s, 'session leader': _l, ...rest } = v;
        if (program === 'nobody') {
          // README: a user= child has USER and LOGNAME under svd (and HOME from the password database), and can
          // reopen its own stdout (supervisord's pipe is root's, mode 0600).
          rest['env'] = (rest['env'] as string[]).filter((k) => !/^(USER|LOGNAME)$/.test(k));
          delete rest['stdout reopens'];
        }
        return rest;
      };
      assert.deepEqual(same(ours), same(theirs), program);
    }
  },
);
