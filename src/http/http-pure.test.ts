import { test } from 'node:test';
import assert from 'node:assert/strict';
import { accessLogDate, accessLogLine } from './access-log.js';
import { checkAuthorization } from './basic-auth.js';
import { errorPage } from './error-page.js';
import { parseLogtailPath, unquote } from './logtail-path.js';
import { foreignOriginRefusal } from './same-origin.js';

const basic = (pair: string): string => `Basic ${Buffer.from(pair).toString('base64')}`;

test('Basic auth: cleartext and {SHA} passwords, base64 decoded as Python decodes it, other schemes', () => {
  const clear = { username: 'user', password: 'secret' };
  const sha = { username: 'user', password: '{SHA}82ab876d1387bfafe46cc1c8a2ef074eae50cb1d' };
  assert.equal(checkAuthorization(basic('user:secret'), clear), 'ok');
  assert.equal(checkAuthorization(basic('user:wrong'), clear), 'unauthorized');
  assert.equal(checkAuthorization(basic('other:secret'), clear), 'unauthorized');
  // Compared as digests: a prefix, an extension or an empty text is no match.
  for (const pair of ['user:secre', 'user:secret2', 'use:secret', 'user:', ':secret'])
    assert.equal(checkAuthorization(basic(pair), clear), 'unauthorized', pair);
  assert.equal(checkAuthorization(basic('user:thepassword'), sha), 'ok');
  assert.equal(
    checkAuthorization(basic('user:{SHA}82ab876d1387bfafe46cc1c8a2ef074eae50cb1d'), sha),
    'unauthorized',
  );
  assert.equal(checkAuthorization(basic('user:pa:ss'), { username: 'user', password: 'pa:ss' }), 'ok');
  assert.equal(checkAuthorization(undefined, clear), 'unauthorized');
  assert.equal(checkAuthorization('Bearer x', clear), 'unauthorized');
  assert.equal(checkAuthorization('Basic Zm9v', clear), 'unauthorized');
  // Decoded as Python's base64.decodebytes: a group cut short is a bad request, other characters are skipped,
  // and decoding stops at the padding that ends a group.
  assert.equal(checkAuthorization('Basic abc', clear), 'bad-request');
  assert.equal(checkAuthorization('Basic dXNlcjpzZWNyZXQ', clear), 'bad-request');
  assert.equal(checkAuthorization('Basic dXNl cjpz!ZWNy,ZXQ=', clear), 'ok');
  assert.equal(checkAuthorization('Basic dXNlcjpzZWNyZXQ=Zm9v', clear), 'ok');
  assert.equal(checkAuthorization('Basic  dXNlcjpzZWNyZXQ=', clear), 'ok');
  assert.equal(checkAuthorization('BASIC dXNlcjpzZWNyZXQ=', clear), 'ok');
  // No space after the scheme, or decoded text without a colon (supervisor: 500): unauthorized.
  assert.equal(checkAuthorization('Basic', clear), 'unauthorized');
  assert.equal(checkAuthorization('Basic !!!!', clear), 'unauthorized');
  // Bytes that are not UTF-8 are a bad request, as Python's decode raises.
  assert.equal(checkAuthorization('Basic //8=', clear), 'bad-request');
  // Without credentials nothing is checked, whatever the client sends.
  assert.equal(checkAuthorization('Basic Og==', null), 'ok');
  assert.equal(checkAuthorization('Basic abc', null), 'ok');
  assert.equal(checkAuthorization(undefined, null), 'ok');
});

test('logtail paths: namespec and channel, decoded; anything else is not found', () => {
  assert.deepEqual(parseLogtailPath('/logtail/web'), { namespec: 'web', channel: 'stdout' });
  assert.deepEqual(parseLogtailPath('/logtail/grp:web/stderr'), { namespec: 'grp:web', channel: 'stderr' });
  assert.deepEqual(parseLogtailPath('//logtail/grp%3Aweb/stdout'), {
    namespec: 'grp:web',
    channel: 'stdout',
  });
  assert.deepEqual(parseLogtailPath('/logtail/w%C3%A9b'), { namespec: 'wéb', channel: 'stdout' });
  assert.equal(parseLogtailPath('/logtail/../../etc/passwd'), null);
  assert.equal(parseLogtailPath('/logtail/..%2F..%2Fetc%2Fpasswd'), null);
  assert.equal(parseLogtailPath('/logtail/web/stdin'), null);
  assert.equal(parseLogtailPath('/logtail/web/stdout/x'), null);
  assert.equal(parseLogtailPath('/logtail'), null);
  assert.equal(parseLogtailPath('/logtail/'), null);
  assert.equal(unquote('100%'), '100%');
  assert.equal(unquote('%zz%41'), '%zzA');
});

test("the error page is supervisor's, byte for byte", () => {
  const page = errorPage(401);
  assert.equal(
    page,
    '<head>\r\n<title>Error response</title>\r\n</head>\r\n<body>\r\n<h1>Error response</h1>\r\n' +
      '<p>Error code 401.\r\n<p>Message: Unauthorized.\r\n</body>\r\n',
  );
  assert.equal(Buffer.byteLength(page), 137);
  assert.equal(Buffer.byteLength(errorPage(400)), 136);
  assert.equal(Buffer.byteLength(errorPage(411)), 140);
  assert.equal(Buffer.byteLength(errorPage(500)), 146);
});

test('an Origin, when present, must name this server (host and port as the Host header gives them)', () => {
  const host = '127.0.0.1:9001';
  assert.equal(foreignOriginRefusal({ host }), null, 'no Origin: supervisorctl, xmlrpc libraries, curl');
  assert.equal(foreignOriginRefusal({ host, origin: 'http://127.0.0.1:9001' }), null);
  for (const origin of [
    'https://evil.example',
    'http://127.0.0.1:9002',
    'http://127.0.0.1',
    'null',
    'file:///x',
  ]) {
    assert.equal(
      foreignOriginRefusal({ host, origin }),
      `cross-origin request refused (Origin ${origin})`,
      origin,
    );
  }
  assert.notEqual(foreignOriginRefusal({ origin: 'http://localhost' }), null, 'an Origin but no Host');
  for (const bad of ['bad host', 'h[:1', ''])
    assert.notEqual(
      foreignOriginRefusal({ host: bad, origin: 'https://evil.example', 'x-forwarded-host': bad }),
      null,
      `an unparsable Host or X-Forwarded-Host ${JSON.stringify(bad)} names no origin`,
    );
  assert.equal(
    foreignOriginRefusal({ host: 'localhost:80', origin: 'http://localhost' }),
    null,
    'default port',
  );
  const long = `https://${'a'.repeat(1000)}.example`;
  assert.equal(
    foreignOriginRefusal({ host, origin: long }),
    `cross-origin request refused (Origin ${long.slice(0, 200)}...)`,
  );
});

test('behind a reverse proxy that rewrites Host, X-Forwarded-Host or Forwarded host= names this server', () => {
  const host = '127.0.0.1:9001';
  const origin = 'https://ops.example';
  assert.notEqual(foreignOriginRefusal({ host, origin }), null);
  assert.equal(foreignOriginRefusal({ host, origin, 'x-forwarded-host': 'ops.example' }), null);
  assert.equal(foreignOriginRefusal({ host, origin, 'x-forwarded-host': 'ops.example:443' }), null);
  assert.equal(foreignOriginRefusal({ host, origin, 'x-forwarded-host': 'ops.example, inner:9001' }), null);
  assert.equal(
    foreignOriginRefusal({ host, origin, forwarded: 'for=1.2.3.4;host="ops.example";proto=https' }),
    null,
  );
  assert.notEqual(foreignOriginRefusal({ host, origin, 'x-forwarded-host': 'other.example' }), null);
  assert.notEqual(foreignOriginRefusal({ host, origin, forwarded: 'for=1.2.3.4;proto=https' }), null);
  assert.notEqual(
    foreignOriginRefusal({ host, origin: 'https://evil.example', 'x-forwarded-host': 'ops.example' }),
    null,
    'the proxy names the host the browser used; a foreign page still does not match it',
  );
});

test('the access line is medusa\'s: host:port - - [date] "request" status bytes', () => {
  const when = new Date(2026, 10, 30, 9, 5, 7);
  const offset = -when.getTimezoneOffset();
  const hours = String(Math.floor(Math.abs(offset) / 60)).padStart(2, '0');
  const zone = `${offset < 0 ? '-' : '+'}${hours}${String(Math.abs(offset) % 60).padStart(2, '0')}`;
  assert.equal(accessLogDate(when), `30/Nov/2026:09:05:07 ${zone}`);
  const record = {
    host: 'localhost',
    port: 0,
    when,
    requestLine: 'GET /ok.html HTTP/1.1',
    status: 200,
    bytes: 124,
  };
  assert.equal(
    accessLogLine(record),
    `localhost:0 - - [30/Nov/2026:09:05:07 ${zone}] "GET /ok.html HTTP/1.1" 200 124`,
  );
  // supervisor would log this one at ERRO (README): svd keeps it at TRAC with the rest.
  assert.equal(
    accessLogLine({ ...record, requestLine: 'GET /error HTTP/1.1', status: 404 }),
    `localhost:0 - - [30/Nov/2026:09:05:07 ${zone}] "GET /error HTTP/1.1" 404 124`,
  );
});
