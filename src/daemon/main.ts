// A bin-less entry for the daemon: `node dist/src/daemon/main.js [supervisord options]` (tests use it; the
// commander CLI `svd daemon` / `supervisord` calls runDaemon with the same options).
import { currentHost } from '../config/config-host.js';
import { parseDaemonArgv } from './parse-argv.js';
import { runDaemon } from './run-daemon.js';
import { EXIT_SETTLE_MS, settleOutput } from '../logs/settle-output.js';

const parsed = parseDaemonArgv(process.argv.slice(2), currentHost());
switch (parsed.kind) {
  case 'help':
    process.stdout.write(
      'supervisord -- run a set of applications as daemons.\n\nUsage: svd daemon [options]\n',
    );
    process.exit(0);
    break;
  case 'version':
    process.stdout.write('4.2.5\n');
    process.exit(0);
    break;
  case 'error':
    process.stderr.write(`Error: ${parsed.message}\nFor help, use ${process.argv[1] ?? 'supervisord'} -h\n`);
    process.exit(2);
    break;
  case 'run':
    runDaemon({ ...parsed.options, program: process.argv[1] ?? 'supervisord' }).then(
      (status) => void settleOutput(EXIT_SETTLE_MS).then(() => process.exit(status)),
      (e: unknown) => {
        process.stderr.write(
          `svd: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`,
        );
        process.exit(1);
      },
    );
}
