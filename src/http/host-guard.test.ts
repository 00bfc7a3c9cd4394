import { test } from 'node:test';
import assert from 'node:assert/strict';
import { foreignHostRefusal, isLoopbackAddress, localHostNames } from './host-guard.js';

const names = localHostNames(
  'box.example.net',
  '127.0.0.1 localhost\n127.0.1.1\tbuild-host  alias.lan # comment names.not.read\n# 10.0.0.9 commented.out\n',
);

test('the rebinding guard serves IP addresses, localhost and the names of this machine', () => {
  for (const host of [
    undefined,
    '',
    '127.0.0.1:9001',
    '127.0.0.1',
    '[::1]:9001',
    '10.1.2.3:80',
    'localhost:9001',
    'LOCALHOST',
    'localhost.:9001',
    'app.localhost:9001',
    'box.example.net:9001',
    'box',
    'build-host:9001',
    'Alias.LAN',
  ])
    assert.equal(foreignHostRefusal(host, names), null, String(host));
});

test('the rebinding guard refuses any other name, with the name and the way out', () => {
  for (const host of [
    'evil.example:9001',
    'attacker.127.0.0.1.nip.io:9001',
    'localhost.evil.example',
    'names.not.read',
    'commented.out',
    '[::1',
    ':9001',
  ]) {
    const refusal = foreignHostRefusal(host, names);
    assert.ok(refusal, host);
    assert.ok(refusal.includes(host), refusal);
    assert.match(refusal, /set username and password/);
  }
});

test('loopback addresses: all of 127/8 and ::1, nothing else', () => {
  for (const a of ['127.0.0.1', '127.1.2.3', '::1', '::ffff:127.0.0.1'])
    assert.equal(isLoopbackAddress(a), true, a);
  for (const a of ['0.0.0.0', '10.0.0.1', '::', '192.168.1.127'])
    assert.equal(isLoopbackAddress(a), false, a);
});
