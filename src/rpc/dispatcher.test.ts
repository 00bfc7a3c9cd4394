import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BadNameError } from '../engine/errors.js';
import { intArg, nameArg } from './supervisor-args.js';
import { createDispatcher, MAX_MULTICALL_RESULT_CHARS, type RpcNamespace } from './dispatcher.js';
import { resultChars } from './result-size.js';
import { IncorrectParametersError } from './faults.js';
import { signatureOf } from './method-signature.js';
import type { XmlRpcValue } from './xmlrpc-value.js';

const demo: RpcNamespace = {
  getPID: {
    help: 'The pid.\n\n        @return int result  The pid.',
    call: () => 8316,
  },
  startProcess: {
    help: 'Start.\n\n@param string name  Name.\n@param boolean wait  Wait?\n@return boolean result  Always true.',
    minArgs: 1,
    call: async ([name, wait]) => {
      if (typeof name !== 'string') throw new IncorrectParametersError();
      await new Promise((r) => setImmediate(r));
      if (name !== 'web') throw new BadNameError(name);
      return wait !== false;
    },
  },
  boom: {
    help: '@return string result',
    call: () => {
      throw new TypeError('oops');
    },
  },
  noTags: { help: 'Nothing documented.', call: () => 'x' },
  _hidden: { help: '@return int result', call: () => 1 },
};

function setup() {
  const unexpected: string[] = [];
  const d = createDispatcher({
    onUnexpectedError: (e, name) => unexpected.push(`${name}: ${(e as Error).message}`),
  });
  d.register('supervisor', demo);
  return { d, unexpected };
}

test('values, faults and async values come back as outcomes', async () => {
  const { d } = setup();
  assert.deepEqual(await d.dispatch('supervisor.getPID', []), { ok: true, value: 8316 });
  assert.deepEqual(await d.dispatch('supervisor.startProcess', ['web']), { ok: true, value: true });
  assert.deepEqual(await d.dispatch('supervisor.startProcess', ['web', false]), { ok: true, value: false });
  assert.deepEqual(await d.dispatch('supervisor.startProcess', ['nosuch']), {
    ok: false,
    fault: { faultCode: 10, faultString: 'BAD_NAME: nosuch' },
  });
});

test('unknown, hidden, badly dotted and prototype names are UNKNOWN_METHOD', async () => {
  const { d } = setup();
  for (const name of [
    'supervisor.nosuch',
    'supervisor._hidden',
    'nosuch.getPID',
    'supervisor.getPID.x',
    'getPID',
    'supervisor.toString',
    'supervisor.constructor',
    '',
  ]) {
    assert.deepEqual(
      await d.dispatch(name, []),
      { ok: false, fault: { faultCode: 1, faultString: 'UNKNOWN_METHOD' } },
      name,
    );
  }
});

test('argument counts outside the signature are INCORRECT_PARAMETERS', async () => {
  const { d } = setup();
  const incorrect = { ok: false, fault: { faultCode: 2, faultString: 'INCORRECT_PARAMETERS' } };
  assert.deepEqual(await d.dispatch('supervisor.getPID', [1]), incorrect);
  assert.deepEqual(await d.dispatch('supervisor.startProcess', []), incorrect);
  assert.deepEqual(await d.dispatch('supervisor.startProcess', ['web', true, 3]), incorrect);
  assert.deepEqual(await d.dispatch('supervisor.startProcess', [5]), incorrect);
});

test('an unexpected exception rejects (HTTP 500)', async () => {
  const { d } = setup();
  await assert.rejects(d.dispatch('supervisor.boom', []), /oops/);
});

test('listMethods is sorted, without hidden names, with system.*', async () => {
  const { d } = setup();
  const expected = [
    'supervisor.boom',
    'supervisor.getPID',
    'supervisor.noTags',
    'supervisor.startProcess',
    'system.listMethods',
    'system.methodHelp',
    'system.methodSignature',
    'system.multicall',
  ];
  assert.deepEqual(d.listMethods(), expected);
  assert.deepEqual(await d.dispatch('system.listMethods', []), { ok: true, value: expected });
});

test('methodHelp returns the help verbatim; methodSignature reads its tags', async () => {
  const { d } = setup();
  assert.deepEqual(await d.dispatch('system.methodHelp', ['supervisor.getPID']), {
    ok: true,
    value: demo['getPID']!.help,
  });
  assert.deepEqual(await d.dispatch('system.methodSignature', ['supervisor.startProcess']), {
    ok: true,
    value: ['boolean', 'string', 'boolean'],
  });
  assert.deepEqual(await d.dispatch('system.methodSignature', ['system.multicall']), {
    ok: true,
    value: ['array', 'array'],
  });
  const unsupported = { ok: false, fault: { faultCode: 4, faultString: 'SIGNATURE_UNSUPPORTED' } };
  assert.deepEqual(await d.dispatch('system.methodSignature', ['supervisor.noTags']), unsupported);
  assert.deepEqual(await d.dispatch('system.methodSignature', ['supervisor.nosuch']), unsupported);
  assert.deepEqual(await d.dispatch('system.methodHelp', ['supervisor._hidden']), unsupported);
  assert.deepEqual(await d.dispatch('system.methodHelp', [3]), unsupported);
});

test('signatureOf reads indented tags, a bare tag has an empty type, and no @return means none', () => {
  assert.deepEqual(signatureOf('x\n    @param string name  The name.\n    @return array result  R.'), [
    'array',
    'string',
  ]);
  assert.deepEqual(signatureOf('@param\n@return'), ['', '']);
  assert.equal(signatureOf('@param int x'), null);
});

test('multicall runs calls in order, wrapping results as supervisor does (spec §10.1 item 24)', async () => {
  const { d, unexpected } = setup();
  const outcome = await d.dispatch('system.multicall', [
    [
      { methodName: 'supervisor.getPID' },
      { methodName: 'supervisor.nosuch', params: [] },
      { methodName: 'supervisor.startProcess', params: ['nosuch'] },
      { methodName: 'system.multicall', params: [[]] },
      { params: [] },
      { methodName: 'supervisor.startProcess', params: ['web'] },
      { methodName: 'supervisor.boom', params: [] },
      { methodName: 'supervisor.getPID', params: 'notalist' },
    ],
  ]);
  assert.deepEqual(outcome, {
    ok: true,
    value: [
      8316,
      { faultCode: 1, faultString: 'UNKNOWN_METHOD' },
      { faultCode: 10, faultString: 'BAD_NAME: nosuch' },
      { faultCode: 2, faultString: 'INCORRECT_PARAMETERS: Recursive system.multicall forbidden' },
      { faultCode: 2, faultString: 'INCORRECT_PARAMETERS: No methodName' },
      true,
      { faultCode: 30, faultString: 'FAILED: TypeError:oops' },
      { faultCode: 2, faultString: 'INCORRECT_PARAMETERS' },
    ],
  });
  assert.deepEqual(unexpected, ['supervisor.boom: oops']);
});

test('multicall waits for each deferred call before starting the next', async () => {
  const order: string[] = [];
  const d = createDispatcher();
  d.register('t', {
    slow: {
      help: '@param string tag\n@return string result',
      call: async ([tag]) => {
        order.push(`start ${String(tag)}`);
        await new Promise((r) => setTimeout(r, 5));
        order.push(`end ${String(tag)}`);
        return String(tag);
      },
    },
  });
  const outcome = await d.dispatch('system.multicall', [
    [
      { methodName: 't.slow', params: ['a'] },
      { methodName: 't.slow', params: ['b'] },
    ],
  ]);
  assert.deepEqual(outcome, { ok: true, value: ['a', 'b'] });
  assert.deepEqual(order, ['start a', 'end a', 'start b', 'end b']);
});

test('a multicall entry that is not a struct is an INCORRECT_PARAMETERS fault (supervisor: HTTP 500)', async () => {
  const { d } = setup();
  assert.deepEqual(await d.dispatch('system.multicall', [['supervisor.getPID', 7]]), {
    ok: true,
    value: [
      {
        faultCode: 2,
        faultString:
          "INCORRECT_PARAMETERS: system.multicall: entry 0 must be a struct {methodName, params}, got string 'supervisor.getPID'",
      },
      {
        faultCode: 2,
        faultString:
          'INCORRECT_PARAMETERS: system.multicall: entry 1 must be a struct {methodName, params}, got int 7',
      },
    ],
  });
  assert.deepEqual(await d.dispatch('system.multicall', ['x']), {
    ok: false,
    fault: { faultCode: 2, faultString: 'INCORRECT_PARAMETERS' },
  });
});

test('a wrong-typed argument is an INCORRECT_PARAMETERS fault naming the method and the argument', async () => {
  const unexpected: string[] = [];
  const d = createDispatcher({ onUnexpectedError: (e) => unexpected.push(String(e)) });
  d.register('t', {
    named: { help: '@param string name\n@return string result', call: ([name]) => nameArg(name) },
    offset: { help: '@param int offset\n@return int result', call: ([n]) => intArg(n, 'offset') },
  });
  assert.deepEqual(await d.dispatch('t.named', [0]), {
    ok: false,
    fault: {
      faultCode: 2,
      faultString: "INCORRECT_PARAMETERS: t.named: argument 'name' must be a string, got int 0",
    },
  });
  assert.deepEqual(
    await d.dispatch('system.multicall', [[{ methodName: 't.offset', params: ['x'.repeat(10_000)] }]]),
    {
      ok: true,
      value: [
        {
          faultCode: 2,
          faultString: `INCORRECT_PARAMETERS: t.offset: argument 'offset' must be an integer, got string '${'x'.repeat(200)}...'`,
        },
      ],
    },
  );
  assert.deepEqual(unexpected, []);
});

test('register replaces a namespace; system cannot be replaced', async () => {
  const { d } = setup();
  d.register('supervisor', { getPID: { help: '@return int result', call: () => 1 } });
  assert.deepEqual(await d.dispatch('supervisor.getPID', []), { ok: true, value: 1 });
  assert.deepEqual((await d.dispatch('supervisor.boom', [])).ok, false);
  assert.throws(() => d.register('system', {}));
  d.unregister('supervisor');
  assert.deepEqual(
    d.listMethods().filter((m) => m.startsWith('supervisor.')),
    [],
  );
});

test('a multicall stops at its result limit: the crossing entry and the rest are FAILED, later calls are not run', async () => {
  const ran: number[] = [];
  const d = createDispatcher({ maxMulticallResultChars: 1000 });
  d.register('t', {
    text: {
      help: '@param int n\n@return string result',
      call: ([n]) => {
        ran.push(Number(n));
        return 'x'.repeat(300);
      },
    },
  });
  const calls = [0, 1, 2, 3, 4].map((n) => ({ methodName: 't.text', params: [n] }));
  const outcome = await d.dispatch('system.multicall', [calls]);
  assert.ok(outcome.ok);
  const [a, b, c, e, f] = outcome.value as XmlRpcValue[];
  assert.deepEqual([a, b, c], ['x'.repeat(300), 'x'.repeat(300), 'x'.repeat(300)]);
  assert.deepEqual(e, {
    faultCode: 30,
    faultString: 'FAILED: system.multicall results exceed 1000 characters; its result was dropped',
  });
  assert.deepEqual(f, {
    faultCode: 30,
    faultString: 'FAILED: system.multicall results exceed 1000 characters; this call was not run',
  });
  assert.deepEqual(ran, [0, 1, 2, 3]);
});

test('the default multicall limit holds one read of a log rotated at the default 50 MB', () => {
  assert.ok(MAX_MULTICALL_RESULT_CHARS > 50 * 1024 * 1024);
  assert.equal(resultChars('abc'), resultChars(1) + 3);
  assert.ok(resultChars([{ name: 'web', pid: 1 }]) < 300);
});
