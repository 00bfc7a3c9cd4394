#!/usr/bin/env node
// A minimal event listener (supervisor's protocol, Node only): logs each event to stderr.
// stdout carries the protocol: READY, then RESULT 2\nOK after each event.
let buffered = Buffer.alloc(0);
let header = null;

process.stdout.write('READY\n');
process.stdin.on('data', (chunk) => {
  buffered = Buffer.concat([buffered, chunk]);
  for (;;) {
    if (header === null) {
      const newline = buffered.indexOf('\n');
      if (newline < 0) return;
      const line = buffered.subarray(0, newline).toString();
      buffered = buffered.subarray(newline + 1);
      header = Object.fromEntries(line.split(' ').map((token) => token.split(/:(.*)/s).slice(0, 2)));
    }
    const length = Number(header.len);
    if (buffered.length < length) return;
    const payload = buffered.subarray(0, length).toString().trim();
    buffered = buffered.subarray(length);
    process.stderr.write(`${header.eventname} ${payload}\n`);
    header = null;
    process.stdout.write('RESULT 2\nOK');
    process.stdout.write('READY\n');
  }
});
process.stdin.on('end', () => process.exit(0));
