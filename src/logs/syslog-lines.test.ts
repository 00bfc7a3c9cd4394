import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createChildSyslogWriter, createLineSplitter, daemonSyslogMessages } from './syslog-lines.js';

const strs = (bufs: Buffer[]): string[] => bufs.map((b) => b.toString());

test('lines cut across chunks are joined; empty lines are kept', () => {
  const splitter = createLineSplitter();
  assert.deepEqual(strs(splitter.push(Buffer.from('one\ntw'))), ['one']);
  assert.deepEqual(strs(splitter.push(Buffer.from('o\n\nthree'))), ['two', '']);
  assert.deepEqual(strs(splitter.flush()), ['three']);
  assert.deepEqual(strs(splitter.flush()), []);
});

test('a line longer than the limit is sent in pieces', () => {
  const splitter = createLineSplitter(4);
  assert.deepEqual(strs(splitter.push(Buffer.from('abcdefghij'))), ['abcd', 'efgh']);
  assert.deepEqual(strs(splitter.push(Buffer.from('\n'))), ['ij']);
});

test('child output becomes `<process_name> <line>` messages', () => {
  const sent: string[] = [];
  const writer = createChildSyslogWriter('web', (m) => sent.push(m.toString()));
  writer.write(Buffer.from('hello\nwor'));
  writer.write(Buffer.from('ld\npartial'));
  writer.flush();
  assert.deepEqual(sent, ['web hello', 'web world', 'web partial']);
});

test('a main-log record is sent one formatted message per line', () => {
  const date = new Date(2026, 0, 2, 3, 4, 5, 6);
  assert.deepEqual(daemonSyslogMessages(date, 'debug', "'a' stdout output:\nx\n"), [
    "2026-01-02 03:04:05,006 DEBG 'a' stdout output:",
    '2026-01-02 03:04:05,006 DEBG x',
  ]);
});
