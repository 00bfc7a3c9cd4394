// Ruby's XMLRPC::Client and Perl's RPC::XML::Client, strict readers outside Python, call the same methods of
// Debian's supervisord and of svd's daemon over http with Basic auth: the decoded values (types included),
// faults, refused answers and the 401 must be the same. Each client is skipped when it is not installed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { createClient } from '../../src/client/index.js';
import { isStruct } from '../../src/rpc/xmlrpc-value.js';
import { mask, run, sideBySide, type ControlDaemon } from '../support/control-daemon.js';
import { supervisorMissing } from '../support/oracle.js';
import { repoRoot } from '../support/paths.js';

function missing(command: string, args: string[], install: string): string | false {
  const ok = spawnSync(command, args, { stdio: 'ignore' }).status === 0;
  return ok ? false : `${install} is not installed`;
}

const rubyMissing =
  supervisorMissing || missing('ruby', ['-e', 'require "xmlrpc/client"'], 'ruby with ruby-xmlrpc');
const perlMissing =
  supervisorMissing || missing('perl', ['-MRPC::XML::Client', '-MJSON::PP', '-e', '1'], 'librpc-xml-perl');

const credentials = { username: 'user', password: 's3cret' };
// Output with non-ASCII UTF-8, markup characters and (in out-put) control characters, which Python writes
// into its answers unescaped: REXML reads them, expat refuses the whole answer.
const body = [
  '[program:out-put]',
  `command=/bin/sh -c "printf 'caf\\303\\251 \\342\\202\\254 <b> & ]]> \\001\\033[0m tab\\there\\n'; exec sleep 1000"`,
  'startsecs=0',
  '[program:plain]',
  `command=/bin/sh -c "printf 'caf\\303\\251 <b> & ]]>\\n'; exec sleep 1000"`,
  'startsecs=0',
  '[program:my.dot-dash]',
  'command=sleep 1000',
  'autostart=false',
  'startsecs=0',
  // supervisord can lose a SIGTERM sent right after the spawn; it then waits stopwaitsecs to SIGKILL.
  'stopwaitsecs=2',
  '[program:sleeper]',
  'command=sleep 1000',
  'autostart=false',
  'startsecs=0',
  'stopwaitsecs=2',
  '[group:grp]',
  'programs=sleeper',
].join('\n');

/**
 * Waits until out-put and plain are RUNNING with their line in their logs, which the probes read: RUNNING
 * (startsecs=0) comes before the output, and supervisord spawns them only after it serves.
 */
async function settled(d: ControlDaemon): Promise<void> {
  const c = createClient({ serverUrl: `unix://${d.socket}`, ...credentials, timeoutMs: 20_000 });
  const ready = async (name: string): Promise<boolean> => {
    const info = await c.call('supervisor.getProcessInfo', [name]);
    const log = await c.call('supervisor.readProcessStdoutLog', [name, 0, 0]);
    return isStruct(info) && info['statename'] === 'RUNNING' && typeof log === 'string' && log.endsWith('\n');
  };
  try {
    const deadline = Date.now() + 20_000;
    while (!((await ready('out-put')) && (await ready('plain')))) {
      if (Date.now() > deadline)
        throw new Error(`${d.kind}: out-put and plain not RUNNING with their output`);
      await new Promise((r) => setTimeout(r, 50));
    }
  } finally {
    c.close();
  }
}

const daemons = sideBySide(
  { body, inet: true, credentials },
  { skip: rubyMissing && perlMissing, ready: settled },
);

/** The probe's lines against `d`, with pids, times, the daemon's dir and AUTO log names masked. */
async function probe(d: ControlDaemon, command: string, script: string): Promise<string[]> {
  const r = await run(command, [join(repoRoot, 'test', 'compat', script), String(d.port), 'user', 's3cret']);
  assert.equal(r.code, 0, r.stderr);
  return mask(r.stdout, d.dir)
    .replace(/"(pid|now|start|stop)",\["(int|i4)",\d+\]/g, '"$1",["$2",<N>]')
    .replace(/"(pid|now|start|stop)",\["(int|i4)","\d+"\]/g, '"$1",["$2","<N>"]')
    .replace(/\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}/g, '<TIME>')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => (line.startsWith('["supervisor.getPID"') ? line.replace(/\d+/, '<PID>') : line));
}

async function compare(command: string, script: string): Promise<string[]> {
  // One after the other, so that neither probe's load shifts the other daemon's timing.
  const [real, svd] = daemons();
  const expected = await probe(real, command, script);
  // svd lists its own namespace beside supervisor's (README, "where svd differs").
  const actual = (await probe(svd, command, script)).map((l) =>
    l.startsWith('["system.listMethods"') ? l.replace(/\["str","svd\.\w+"\],/g, '') : l,
  );
  assert.equal(actual.length, expected.length);
  expected.forEach((want, i) => assert.equal(actual[i], want));
  return actual;
}

test(
  "Ruby's XMLRPC::Client decodes svd's answers as supervisord's",
  { skip: rubyMissing, timeout: 120_000 },
  async () => {
    const lines = await compare('ruby', 'strict-clients-probe.rb');
    // Spot checks that the comparison is about something.
    assert.ok(lines.some((l) => l.includes('café € <b> & ]]> \\u0001\\u001b[0m tab\\there\\n')));
    assert.ok(lines.includes('["supervisor.startProcess",["fault",10,"BAD_NAME: nope"]]'));
    assert.ok(lines.some((l) => l.startsWith('["wrong password",["refused","HTTP-Error: 401')));
  },
);

test(
  "Perl's RPC::XML::Client decodes svd's answers as supervisord's",
  { skip: perlMissing, timeout: 120_000 },
  async () => {
    const lines = await compare('perl', 'strict-clients-probe.pl');
    // expat refuses control characters, from either daemon; the plain program's log reads.
    assert.ok(lines.includes('["supervisor.tailProcessStdoutLog",["refused"]]'), lines.join('\n'));
    assert.ok(lines.some((l) => l.includes('["string","café <b> & ]]>\\n"]')));
    assert.ok(lines.includes('["wrong password",["refused"]]'));
  },
);
