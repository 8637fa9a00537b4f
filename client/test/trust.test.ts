import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { baseUrlFromUserSettings, redactSecret, toServerSettings, type SettingOrigin } from '../src/settings';

interface ManifestSetting {
  readonly scope?: string;
}

interface Manifest {
  readonly capabilities?: { readonly untrustedWorkspaces?: { readonly supported?: unknown; readonly restrictedConfigurations?: readonly string[] } };
  readonly contributes: { readonly configuration: { readonly properties: Record<string, ManifestSetting> } };
}

const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')) as Manifest;

// Settings that pick a binary to run or a host that receives the token: a workspace must not set them.
const dangerous = ['notes.server.path', 'notes.dotnetPath', 'notes.openreview.baseUrl', 'notes.openreview.fallbackBaseUrl'];

describe('workspace trust', () => {
  for (const name of dangerous) {
    test(`${name} has application or machine scope`, () => {
      assert.ok(['application', 'machine'].includes(manifest.contributes.configuration.properties[name]?.scope ?? 'window'), name);
    });
  }

  test('untrusted workspaces are supported in a limited way, with those settings restricted', () => {
    const untrusted = manifest.capabilities?.untrustedWorkspaces;
    assert.equal(untrusted?.supported, 'limited');
    assert.deepEqual([...(untrusted?.restrictedConfigurations ?? [])].sort(), [...dangerous].sort());
  });

  test('the server hears that the base URL came from user settings only when no workspace sets one', () => {
    const origins = (values: Record<string, SettingOrigin>) => (key: string): SettingOrigin => values[key] ?? 'default';
    assert.equal(baseUrlFromUserSettings(origins({})), false);
    assert.equal(baseUrlFromUserSettings(origins({ 'openreview.baseUrl': 'user' })), true);
    assert.equal(baseUrlFromUserSettings(origins({ 'openreview.baseUrl': 'workspace' })), false);
    assert.equal(baseUrlFromUserSettings(origins({ 'openreview.baseUrl': 'user', 'openreview.fallbackBaseUrl': 'workspace' })), false);
    const settings = toServerSettings(() => undefined, 't0ken', origins({ 'openreview.baseUrl': 'user' }));
    assert.equal(settings.openReview.baseUrlFromUserSettings, true);
    assert.equal(toServerSettings(() => undefined, 't0ken', origins({ 'openreview.baseUrl': 'workspace' })).openReview.baseUrlFromUserSettings, undefined);
  });

  test('the trace hides the token, also where JSON escaped it', () => {
    const message = JSON.stringify({ settings: { notes: { openReview: { token: 'abc"def\\ghi' } } } });
    const traced = redactSecret(`[Trace] Sending notification 'workspace/didChangeConfiguration'.\nParams: ${message}`, 'abc"def\\ghi');
    assert.ok(!traced.includes('abc'), traced);
    assert.ok(traced.includes('(hidden)'), traced);
    assert.equal(redactSecret('no secret here', undefined), 'no secret here');
  });
});
