// Entry point: `node dist/src/pidproxy/main.js PIDFILE COMMAND [ARGS...]`.
import { runPidproxy } from './run-pidproxy.js';

process.exitCode = await runPidproxy(process.argv.slice(2));
