// An event listener written with the npm package `supervisord-eventlistener` (loaded from the directory the
// test installed it in), run by the daemon as an [eventlistener:] command. The package answers the protocol
// itself (READY, RESULT 2 OK); this script appends one JSON line per event it hands over: the event name, the
// header fields and the payload fields as the package parsed them.
// Usage: node npm-eventlistener-probe.cjs CLIENTS_DIR OUT_FILE
'use strict';
const { join } = require('node:path');
const { appendFileSync } = require('node:fs');

const [clientsDir, out] = process.argv.slice(2);
const listener = require(join(clientsDir, 'node_modules', 'supervisord-eventlistener'));

listener.on('event', (type, headers, data) => {
  appendFileSync(out, JSON.stringify({ type, headers, data }) + '\n');
});
listener.listen(process.stdin, process.stdout);
