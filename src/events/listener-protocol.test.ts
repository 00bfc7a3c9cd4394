import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  feedListener,
  markBusy,
  MAX_RESULT_BYTES,
  MAX_RESULT_LINE_BYTES,
  newListenerChannel,
  type ListenerChannel,
  type ListenerEffect,
} from './listener-protocol.js';
import { supervisorStdoutResultHandler } from './result-handlers.js';

function feed(
  start: ListenerChannel,
  ...chunks: string[]
): { ch: ListenerChannel; effects: ListenerEffect[] } {
  let ch = start;
  const effects: ListenerEffect[] = [];
  for (const c of chunks) {
    const r = feedListener(ch, Buffer.from(c, 'latin1'), 'lis');
    ch = r.next;
    effects.push(...r.effects);
  }
  return { ch, effects };
}

const kinds = (effects: readonly ListenerEffect[]) =>
  effects.map((e) =>
    e.type === 'log' ? `${e.level}:${e.message}` : e.type === 'echo' ? `echo:${e.text}` : e.type,
  );

test('READY moves ACKNOWLEDGED to READY with supervisor debug line; a split READY waits for 6 bytes', () => {
  const r = feed(newListenerChannel, 'REA', 'DY\n');
  assert.equal(r.ch.state, 'READY');
  assert.deepEqual(kinds(r.effects), ['debug:lis: ACKNOWLEDGED -> READY', 'ready']);
});

test('anything but READY in ACKNOWLEDGED is a violation: UNKNOWN, with the warning, buffer dropped', () => {
  const r = feed(newListenerChannel, 'hello world\n');
  assert.equal(r.ch.state, 'UNKNOWN');
  assert.equal(r.ch.buffer.length, 0);
  assert.deepEqual(kinds(r.effects), [
    'debug:lis: ACKNOWLEDGED -> UNKNOWN',
    'warn:lis: has entered the UNKNOWN state and will no longer receive events, this usually indicates the process violated the eventlistener protocol',
  ]);
  // UNKNOWN is final: a later READY is ignored.
  assert.equal(feed(r.ch, 'READY\n').ch.state, 'UNKNOWN');
});

test('bytes while READY are spurious output: UNKNOWN', () => {
  const r = feed(newListenerChannel, 'READY\nREADY\n');
  assert.equal(r.ch.state, 'UNKNOWN');
});

test('RESULT 2\\nOK processes the event and READY may follow in the same write', () => {
  const busy = markBusy(feed(newListenerChannel, 'READY\n').ch);
  const r = feed(busy, 'RESULT 2\nOKREADY\n');
  assert.equal(r.ch.state, 'READY');
  assert.deepEqual(kinds(r.effects), [
    'debug:lis: event was processed',
    'debug:lis: BUSY -> ACKNOWLEDGED',
    'processed',
    'debug:lis: ACKNOWLEDGED -> READY',
    'ready',
  ]);
});

test('any other result rejects the event (re-queue) and acknowledges', () => {
  const busy = markBusy(feed(newListenerChannel, 'READY\n').ch);
  const r = feed(busy, 'RESULT 4\nFAIL');
  assert.equal(r.ch.state, 'ACKNOWLEDGED');
  assert.deepEqual(kinds(r.effects), [
    'warn:lis: event was rejected',
    'debug:lis: BUSY -> ACKNOWLEDGED',
    'requeue',
  ]);
});

test('the result length is read after the first 7 bytes, as Python int(): blanks and underscores allowed', () => {
  const busy = markBusy(newListenerChannel);
  assert.equal(feed(busy, 'XXXXXXX 2 \nOK').ch.state, 'ACKNOWLEDGED');
  assert.equal(feed(busy, 'RESULT 0_2\nOK').ch.state, 'ACKNOWLEDGED');
  // Exactly <len> bytes are the result: a longer "OKAY" with len 2 is OK, then AY is spurious in ACKNOWLEDGED.
  const r = feed(busy, 'RESULT 2\nOKAY');
  assert.ok(kinds(r.effects).includes('processed'));
  assert.equal(r.ch.state, 'ACKNOWLEDGED');
  assert.equal(r.ch.buffer.toString(), 'AY');
});

test('a bad result line: warning with the line, UNKNOWN, event re-queued', () => {
  const busy = markBusy(newListenerChannel);
  const r = feed(busy, 'RESULT x\n');
  assert.equal(r.ch.state, 'UNKNOWN');
  assert.deepEqual(kinds(r.effects), [
    "warn:lis: bad result line: 'RESULT x'",
    'debug:lis: BUSY -> UNKNOWN',
    'warn:lis: has entered the UNKNOWN state and will no longer receive events, this usually indicates the process violated the eventlistener protocol',
    'requeue',
  ]);
  assert.equal(feed(busy, 'RESULT -1\n').ch.state, 'UNKNOWN');
});

test('a length over MAX_RESULT_BYTES is refused at once: UNKNOWN, event re-queued (supervisor would collect it)', () => {
  const busy = markBusy(newListenerChannel);
  const r = feed(busy, `RESULT ${MAX_RESULT_BYTES + 1}\n`, 'x'.repeat(1000));
  assert.equal(r.ch.state, 'UNKNOWN');
  assert.deepEqual(kinds(r.effects).slice(0, 1), [
    `warn:lis: result of ${MAX_RESULT_BYTES + 1} bytes refused (limit ${MAX_RESULT_BYTES})`,
  ]);
  assert.equal(kinds(r.effects).at(-1), 'requeue');
  const huge = feed(busy, 'RESULT 99999999999999999999999999999\n');
  assert.equal(huge.ch.state, 'UNKNOWN');
  assert.equal(
    kinds(huge.effects)[0],
    `warn:lis: result of 99999999999999999999999999999 bytes refused (limit ${MAX_RESULT_BYTES})`,
  );
});

test('a RESULT line over MAX_RESULT_LINE_BYTES is a bad result line, newline or not, whatever the chunking', () => {
  const busy = markBusy(newListenerChannel);
  const digits = '9'.repeat(MAX_RESULT_LINE_BYTES);
  const expected = [
    `warn:lis: bad result line: 'RESULT ${'9'.repeat(193)}...'`,
    'debug:lis: BUSY -> UNKNOWN',
    'warn:lis: has entered the UNKNOWN state and will no longer receive events, this usually indicates the process violated the eventlistener protocol',
    'requeue',
  ];
  for (const chunks of [
    [`RESULT ${digits}`],
    [`RESULT ${digits}\nOK`],
    ['RESULT ', digits.slice(0, 500), digits],
  ]) {
    const r = feed(busy, ...chunks);
    assert.equal(r.ch.state, 'UNKNOWN');
    assert.deepEqual(kinds(r.effects), expected);
    assert.equal(r.ch.buffer.length, 0);
  }
});

test('a result of MAX_RESULT_BYTES read in small pieces is judged whole', () => {
  const busy = markBusy(newListenerChannel);
  let r = feedListener(busy, Buffer.from(`RESULT ${MAX_RESULT_BYTES}\n`), 'lis');
  const piece = Buffer.alloc(64 * 1024, 'y');
  for (let sent = 0; sent < MAX_RESULT_BYTES; sent += piece.length) {
    assert.equal(r.next.state, 'BUSY');
    r = feedListener(r.next, piece, 'lis');
  }
  assert.deepEqual(
    kinds(r.effects).filter((k) => !k.startsWith('debug')),
    ['warn:lis: event was rejected', 'requeue'],
  );
  assert.equal(r.next.state, 'ACKNOWLEDGED');
});

test('RESULT 0 completes only when more output arrives, as in supervisor', () => {
  const busy = markBusy(newListenerChannel);
  const first = feed(busy, 'RESULT 0\n');
  assert.equal(first.ch.state, 'BUSY');
  const second = feed(first.ch, 'READY\n');
  assert.deepEqual(
    kinds(second.effects).filter((k) => !k.startsWith('debug')),
    ['warn:lis: event was rejected', 'requeue', 'ready'],
  );
});

test('property: the effects do not depend on how the output is chunked', () => {
  const token = fc.constantFrom(
    'READY\n',
    'RESULT 2\nOK',
    'RESULT 4\nFAIL',
    'RESULT 2\n',
    'OK',
    'x',
    '\n',
    'RESULT z\n',
  );
  const run = (start: ListenerChannel, parts: readonly string[]) => {
    let ch = start;
    const out: string[] = [];
    for (const part of parts) {
      if (part.length === 0) continue;
      const r = feedListener(ch, Buffer.from(part, 'latin1'), 'lis');
      ch = r.next;
      out.push(...kinds(r.effects));
    }
    return { out, state: ch.state, rest: ch.buffer.toString('latin1') };
  };
  fc.assert(
    fc.property(
      fc.boolean(),
      fc.array(token, { maxLength: 8 }),
      fc.array(fc.nat(60), { maxLength: 6 }),
      (busy, tokens, cuts) => {
        const text = tokens.join('');
        const points = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
        const chunks: string[] = [];
        let at = 0;
        for (const p of points) {
          chunks.push(text.slice(at, p));
          at = p;
        }
        chunks.push(text.slice(at));
        const start = busy ? markBusy(newListenerChannel) : newListenerChannel;
        assert.deepEqual(run(start, chunks), run(start, [text]));
      },
    ),
  );
});

test('supervisor_stdout: the echoed event is printed, then processed; a malformed result is an error (UNKNOWN, re-queued)', () => {
  const busy = markBusy(feed(newListenerChannel, 'READY\n').ch);
  const body = 'processname:web groupname:web pid:7 channel:stdout\nhello\n';
  const ok = feedListener(
    busy,
    Buffer.from(`RESULT ${body.length}\n${body}READY\n`),
    'lis',
    supervisorStdoutResultHandler,
  );
  assert.equal(ok.next.state, 'READY');
  assert.deepEqual(kinds(ok.effects), [
    'echo:web stdout | hello\n',
    'debug:lis: event was processed',
    'debug:lis: BUSY -> ACKNOWLEDGED',
    'processed',
    'debug:lis: ACKNOWLEDGED -> READY',
    'ready',
  ]);
  const bad = feedListener(busy, Buffer.from('RESULT 2\nOKREADY\n'), 'lis', supervisorStdoutResultHandler);
  assert.equal(bad.next.state, 'UNKNOWN');
  assert.deepEqual(kinds(bad.effects), [
    'warn:lis: event caused an error',
    'debug:lis: BUSY -> UNKNOWN',
    'warn:lis: has entered the UNKNOWN state and will no longer receive events, this usually indicates the process violated the eventlistener protocol',
    'requeue',
  ]);
});
