import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CrashPolicy } from '../src/crashPolicy';

function clock(start = 1_000_000): { now: () => number; advance: (ms: number) => void } {
  let t = start;
  return { now: () => t, advance: (ms) => (t += ms) };
}

describe('CrashPolicy', () => {
  test('restarts a crashed server up to the limit, then leaves it stopped with a message naming the command', () => {
    const c = clock();
    const policy = new CrashPolicy(4, 180_000, c.now);
    for (let i = 1; i <= 4; i++) {
      const decision = policy.onClosed();
      assert.equal(decision.restart, true, `crash ${i}`);
      assert.match(decision.message, new RegExp(`\\(${i} of 4 restarts in 3 minutes\\)`));
      c.advance(10_000);
    }
    const fifth = policy.onClosed();
    assert.equal(fifth.restart, false);
    assert.match(fifth.message, /stopped 5 times in 3 minutes/);
    assert.match(fifth.message, /Notes: Restart Server/);
  });

  test('crashes older than the window are forgotten', () => {
    const c = clock();
    const policy = new CrashPolicy(2, 60_000, c.now);
    assert.equal(policy.onClosed().restart, true);
    assert.equal(policy.onClosed().restart, true);
    c.advance(60_000);
    // The two old crashes fall out of the window: this is the first of a new run.
    const decision = policy.onClosed();
    assert.equal(decision.restart, true);
    assert.match(decision.message, /\(1 of 2 restarts/);
  });

  test('a restart the user asked for starts the count afresh', () => {
    const c = clock();
    const policy = new CrashPolicy(1, 180_000, c.now);
    assert.equal(policy.onClosed().restart, true);
    assert.equal(policy.onClosed().restart, false);
    policy.reset();
    assert.equal(policy.onClosed().restart, true);
  });
});
