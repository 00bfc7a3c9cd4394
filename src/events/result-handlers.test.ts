import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  defaultResultHandler,
  resultHandlerFor,
  supervisorStdoutResultHandler,
  type ResultVerdict,
} from './result-handlers.js';

const judge = (handler: (b: Buffer) => ResultVerdict, text: string) => handler(Buffer.from(text));

test('default handler: exactly OK processes, anything else rejects', () => {
  assert.deepEqual(judge(defaultResultHandler, 'OK'), { kind: 'processed', echo: null });
  for (const other of ['FAIL', 'ok', 'OK\n', ''])
    assert.deepEqual(judge(defaultResultHandler, other), { kind: 'rejected' });
});

test('supervisor_stdout: every line of the data, prefixed with the process name and channel', () => {
  const header = 'processname:web groupname:web pid:41 channel:stderr\n';
  assert.deepEqual(judge(supervisorStdoutResultHandler, `${header}a\nb c\n`), {
    kind: 'processed',
    echo: 'web stderr | a\nweb stderr | b c\n',
  });
  // A chunk cut mid-line still prints what it has; an empty line inside the data is kept.
  assert.deepEqual(judge(supervisorStdoutResultHandler, `${header}a\n\npartial`), {
    kind: 'processed',
    echo: 'web stderr | a\nweb stderr | \nweb stderr | partial\n',
  });
  assert.deepEqual(judge(supervisorStdoutResultHandler, header), { kind: 'processed', echo: '' });
  assert.deepEqual(judge(supervisorStdoutResultHandler, 'processname:p channel:stdout\nünï\n'), {
    kind: 'processed',
    echo: 'p stdout | ünï\n',
  });
});

test('supervisor_stdout: a result not shaped like an event is an error, as the Python handler raises', () => {
  for (const bad of [
    'OK',
    'processname:web channel:stdout',
    'processname:web\nx\n',
    'a:b:c channel:x processname:y\nz',
  ]) {
    assert.deepEqual(judge(supervisorStdoutResultHandler, bad), { kind: 'error' }, bad);
  }
});

test('resultHandlerFor maps the configured name', () => {
  assert.equal(resultHandlerFor('supervisor_stdout:event_handler'), supervisorStdoutResultHandler);
  assert.equal(resultHandlerFor('supervisor.dispatchers:default_handler'), defaultResultHandler);
});
