import { test } from 'node:test';
import assert from 'node:assert/strict';
import { childOutputMessage, listenerOutputMessage } from './child-output-message.js';

test('child output is logged under a header naming process and channel', () => {
  assert.equal(childOutputMessage('web', 'stdout', Buffer.from('hello\n')), "'web' stdout output:\nhello\n");
  assert.equal(
    childOutputMessage('db', 'stderr', Buffer.from('\u00e9t\u00e9')),
    "'db' stderr output:\n\u00e9t\u00e9",
  );
});

test('a byte order mark at the start of the output stays in the line, as Python decodes it', () => {
  assert.equal(
    childOutputMessage('w', 'stdout', Buffer.from('\ufeffbom\n')),
    "'w' stdout output:\n\ufeffbom\n",
  );
});

test('invalid UTF-8 is shown as a Python bytes repr', () => {
  assert.equal(
    childOutputMessage('bin', 'stdout', Buffer.from([0x6f, 0x6b, 0x0a, 0xff, 0x27, 0x5c])),
    "'bin' stdout output:\nUndecodable: b\"ok\\n\\xff'\\\\\"",
  );
});

test("an event listener's stdout is logged as the bytes' repr, as supervisor's listener dispatcher does", () => {
  assert.equal(
    listenerOutputMessage('lis', Buffer.from('RESULT 2\nOKREADY\n')),
    "'lis' stdout output:\nb'RESULT 2\\nOKREADY\\n'",
  );
  assert.equal(listenerOutputMessage('lis', Buffer.from('\u00e9')), "'lis' stdout output:\nb'\\xc3\\xa9'");
});
