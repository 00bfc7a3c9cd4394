#!/usr/bin/env node
// A small web app for the example: answers every GET on 127.0.0.1:PORT with one page naming this instance.
// Node only, so the example runs wherever svd does. Stops cleanly on SIGINT (the program's stopsignal).
import { createServer } from 'node:http';

const port = Number(process.argv[2] ?? 18000);
const instance = process.env.INSTANCE ?? '0';

const server = createServer((req, res) => {
  console.log(`${new Date().toISOString()} ${req.method} ${req.url}`);
  res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
  res.end(
    `<!DOCTYPE html>\n<title>svd example</title>\n<p>Instance ${instance} (pid ${process.pid}) on port ${port}.</p>\n`,
  );
});
server.listen(port, '127.0.0.1', () => console.log(`serving on http://127.0.0.1:${port}/`));

process.on('SIGINT', () => {
  console.log('interrupted, exiting');
  server.close();
  process.exit(0);
});
