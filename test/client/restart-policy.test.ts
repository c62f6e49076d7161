// The crash policy of the VS Code client: restart, say so once per streak, stop after too many crashes.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { DEFAULT_RESTART_POLICY, RestartPolicy } from '../../client/src/restart-policy';

function policy(maxRestarts = 3, windowMs = 1000): { policy: RestartPolicy; advance: (ms: number) => void } {
  let now = 10_000;
  return { policy: new RestartPolicy({ maxRestarts, windowMs }, () => now), advance: (ms) => (now += ms) };
}

test('a crash streak restarts each time and notifies only on its first crash', () => {
  const { policy: p, advance } = policy();
  const decisions = [p.crashed(), (advance(100), p.crashed()), (advance(100), p.crashed())];
  assert.deepEqual(decisions, [
    { action: 'restart', notify: true, crashes: 1 },
    { action: 'restart', notify: false, crashes: 2 },
    { action: 'restart', notify: false, crashes: 3 },
  ]);
});

test('one crash more than allowed within the window stops the server', () => {
  const { policy: p, advance } = policy(3, 1000);
  for (let i = 0; i < 3; i++) {
    assert.equal(p.crashed().action, 'restart');
    advance(10);
  }
  assert.deepEqual(p.crashed(), { action: 'stop', crashes: 4 });
});

test('crashes older than the window do not count: a quiet period starts a new streak, notified again', () => {
  const { policy: p, advance } = policy(2, 1000);
  p.crashed();
  advance(500);
  p.crashed();
  advance(999);
  assert.deepEqual(p.crashed(), { action: 'restart', notify: false, crashes: 2 });
  advance(1000);
  assert.deepEqual(p.crashed(), { action: 'restart', notify: true, crashes: 1 });
});

test('after a stop, or a restart by the user, the next crash starts a new, notified streak', () => {
  const { policy: p } = policy(1, 1000);
  p.crashed();
  assert.equal(p.crashed().action, 'stop');
  assert.deepEqual(p.crashed(), { action: 'restart', notify: true, crashes: 1 });
  p.reset();
  assert.deepEqual(p.crashed(), { action: 'restart', notify: true, crashes: 1 });
});

test('the default allows a few restarts within minutes', () => {
  assert.ok(DEFAULT_RESTART_POLICY.maxRestarts >= 3);
  assert.ok(DEFAULT_RESTART_POLICY.windowMs >= 60_000);
  const p = new RestartPolicy();
  assert.equal(p.crashed().action, 'restart');
});
