import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'node:test';

// Compiled to out/test/: the repository root is two levels up.
const root = resolve(__dirname, '..', '..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');

test('the README Configuration section matches package.json (scripts/readme-config.mjs --check)', () => {
  execFileSync(process.execPath, [join(root, 'scripts', 'readme-config.mjs'), '--check'], { stdio: 'pipe' });
});

test('every setting of package.json is named in the README', () => {
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { contributes: { configuration: { properties: Record<string, unknown> } } };
  for (const key of Object.keys(manifest.contributes.configuration.properties)) {
    assert.ok(readme.includes(`\`${key}\``), `README.md does not mention ${key}`);
  }
});

test('the README pictures exist and are each under 150 KB', () => {
  const pictures = [...readme.matchAll(/!\[[^\]]*\]\((docs\/images\/[^)]+\.png)\)/g)].map((m) => m[1]!);
  assert.ok(pictures.length >= 6, `the feature tour shows ${pictures.length} pictures`);
  for (const picture of pictures) {
    const path = join(root, picture);
    assert.ok(existsSync(path), `${picture} is missing (npm run docs:images)`);
    assert.ok(statSync(path).size < 150 * 1024, `${picture} is ${Math.round(statSync(path).size / 1024)} KB`);
  }
  for (const name of existsSync(join(root, 'docs', 'images')) ? readdirSync(join(root, 'docs', 'images')) : []) {
    assert.ok(statSync(join(root, 'docs', 'images', name)).size < 150 * 1024, `docs/images/${name} is over 150 KB`);
  }
});
