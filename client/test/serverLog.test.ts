import assert from 'node:assert/strict';
import { test } from 'node:test';
import { stderrLevel } from '../src/serverLog';

test('server log lines are demoted to debug once window/logMessage carries them', () => {
  assert.equal(stderrLevel('[19:45:01.123 info] indexed 3 notes in 20 ms', true), 'debug');
  assert.equal(stderrLevel('[19:45:01.123 error] boom', true), 'debug');
});

test('before the connection, and for anything not from the server log, stderr is an error', () => {
  assert.equal(stderrLevel('[19:45:01.123 info] starting', false), 'error');
  assert.equal(stderrLevel('Unhandled exception. System.IO.IOException: broken pipe', true), 'error');
  assert.equal(stderrLevel('You must install .NET to run this application.', true), 'error');
});
