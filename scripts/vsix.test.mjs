// Checks every .vsix that `npm run package` wrote (out/vsix, or NOTES_VSIX_DIR): each platform package
// carries its server for exactly its OS and CPU (read from the file headers: ELF x86-64 / ELF aarch64 /
// Mach-O x86-64 / Mach-O arm64 / PE x64), nothing built for another platform, its executable bits, and
// the universal package the framework-dependent server. The host platform's package is also installed
// into code-server (the end-to-end toolchain) and the installed file is checked and run.
//
// Run: node --test scripts/vsix.test.mjs   (test.sh does, after `npm run package`)
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { inflateRawSync } from 'node:zlib';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const vsixDir = resolve(process.env.NOTES_VSIX_DIR ?? join(root, 'out', 'vsix'));
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

/** What each platform package must hold: its executable's name and the binary format of everything native in it. */
const expected = {
  'linux-x64': { executable: 'notes-lsp', sqlite: 'libe_sqlite3.so', format: 'ELF', arch: 'x86-64' },
  'linux-arm64': { executable: 'notes-lsp', sqlite: 'libe_sqlite3.so', format: 'ELF', arch: 'aarch64' },
  'darwin-x64': { executable: 'notes-lsp', sqlite: 'libe_sqlite3.dylib', format: 'Mach-O', arch: 'x86-64' },
  'darwin-arm64': { executable: 'notes-lsp', sqlite: 'libe_sqlite3.dylib', format: 'Mach-O', arch: 'arm64' },
  'win32-x64': { executable: 'notes-lsp.exe', sqlite: 'e_sqlite3.dll', format: 'PE', arch: 'x86-64' },
};

/** The entries of a zip file: name, Unix mode (from the external attributes) and contents. */
export function readZip(file) {
  const data = readFileSync(file);
  let end = data.length - 22;
  while (end >= 0 && data.readUInt32LE(end) !== 0x06054b50) {
    end -= 1;
  }
  assert.ok(end >= 0, `${file} is not a zip file`);
  const count = data.readUInt16LE(end + 10);
  let offset = data.readUInt32LE(end + 16);
  const entries = [];
  for (let i = 0; i < count; i++) {
    assert.equal(data.readUInt32LE(offset), 0x02014b50, 'corrupt central directory');
    const method = data.readUInt16LE(offset + 10);
    const compressedSize = data.readUInt32LE(offset + 20);
    const nameLength = data.readUInt16LE(offset + 28);
    const extraLength = data.readUInt16LE(offset + 30);
    const commentLength = data.readUInt16LE(offset + 32);
    const external = data.readUInt32LE(offset + 38);
    const local = data.readUInt32LE(offset + 42);
    const name = data.toString('utf8', offset + 46, offset + 46 + nameLength);
    const start = local + 30 + data.readUInt16LE(local + 26) + data.readUInt16LE(local + 28);
    const raw = data.subarray(start, start + compressedSize);
    entries.push({
      name,
      mode: external >>> 16,
      read: () => (method === 0 ? raw : inflateRawSync(raw)),
    });
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** The binary format and CPU of a file from its header, or undefined for a file that is not a native binary. */
export function binaryKind(bytes) {
  if (bytes.length >= 20 && bytes[0] === 0x7f && bytes.toString('latin1', 1, 4) === 'ELF') {
    const machine = bytes.readUInt16LE(18);
    return { format: 'ELF', arch: { 0x3e: 'x86-64', 0xb7: 'aarch64', 0x03: 'x86', 0x28: 'arm' }[machine] ?? `0x${machine.toString(16)}` };
  }
  if (bytes.length >= 8 && bytes.readUInt32LE(0) === 0xfeedfacf) {
    const cpu = bytes.readUInt32LE(4);
    return { format: 'Mach-O', arch: { 0x01000007: 'x86-64', 0x0100000c: 'arm64' }[cpu] ?? `0x${cpu.toString(16)}` };
  }
  if (bytes.length >= 8 && bytes.readUInt32BE(0) === 0xcafebabe) {
    return { format: 'Mach-O', arch: 'universal' };
  }
  if (bytes.length >= 0x40 && bytes.toString('latin1', 0, 2) === 'MZ') {
    const pe = bytes.readUInt32LE(0x3c);
    if (bytes.length < pe + 24 || bytes.readUInt32LE(pe) !== 0x00004550) {
      return { format: 'PE', arch: 'unknown' };
    }
    const machine = bytes.readUInt16LE(pe + 4);
    const optional = pe + 24;
    const magic = bytes.readUInt16LE(optional);
    // The CLI header (data directory 14) marks a managed assembly, which runs on any platform.
    const cli = optional + (magic === 0x20b ? 112 : 96) + 14 * 8;
    const managed = bytes.length >= cli + 8 && bytes.readUInt32LE(cli) !== 0;
    return { format: 'PE', arch: { 0x8664: 'x86-64', 0xaa64: 'arm64', 0x14c: 'x86' }[machine] ?? `0x${machine.toString(16)}`, managed };
  }
  return undefined;
}

const packages = existsSync(vsixDir) ? readdirSync(vsixDir).filter((f) => f.endsWith('.vsix')) : [];
const packageFor = (target) => packages.find((f) => f === (target ? `${manifest.name}-${target}-${manifest.version}.vsix` : `${manifest.name}-${manifest.version}.vsix`));

describe('the packages npm run package wrote', () => {
  test(`one package per platform and a universal one, in ${vsixDir}`, () => {
    const missing = [...Object.keys(expected), undefined].filter((t) => packageFor(t) === undefined).map((t) => t ?? 'universal');
    assert.deepEqual(missing, [], `missing packages; found ${packages.join(', ') || 'none'}`);
  });
});

for (const [target, want] of Object.entries(expected)) {
  describe(`${target} package`, () => {
    const file = packageFor(target);
    const entries = file ? readZip(join(vsixDir, file)) : [];

    test('declares its target platform', () => {
      assert.ok(file, `no ${target} package`);
      const vsixManifest = entries.find((e) => e.name === 'extension.vsixmanifest');
      assert.ok(vsixManifest, 'no extension.vsixmanifest');
      assert.match(vsixManifest.read().toString('utf8'), new RegExp(`TargetPlatform="${target}"`));
    });

    test(`carries an executable ${want.format} ${want.arch} server and no .NET assemblies`, () => {
      assert.ok(file, `no ${target} package`);
      const server = entries.find((e) => e.name === `extension/dist/server/${want.executable}`);
      assert.ok(server, `no extension/dist/server/${want.executable}`);
      const kind = binaryKind(server.read());
      assert.deepEqual({ format: kind?.format, arch: kind?.arch }, { format: want.format, arch: want.arch });
      assert.notEqual(kind?.managed, true, 'the server is a managed assembly, not a native executable');
      if (want.format !== 'PE') {
        assert.equal(server.mode & 0o111, 0o111, `executable bits lost: mode ${server.mode.toString(8)}`);
      }
      const assemblies = entries.filter((e) => /\.(dll|runtimeconfig\.json|deps\.json)$/i.test(e.name) && binaryKind(e.read())?.managed !== false);
      assert.deepEqual(assemblies.map((e) => e.name), [], 'a self-contained package carries loose .NET files');
    });

    test(`carries SQLite's native library (${want.sqlite}, ${want.format} ${want.arch}) beside the server`, () => {
      // The persistent note index needs it; without it the server runs with the index off.
      assert.ok(file, `no ${target} package`);
      const sqlite = entries.find((e) => e.name === `extension/dist/server/${want.sqlite}`);
      assert.ok(sqlite, `no extension/dist/server/${want.sqlite}; native files: ${entries.filter((e) => binaryKind(e.read()) !== undefined).map((e) => e.name).join(', ')}`);
      const kind = binaryKind(sqlite.read());
      assert.deepEqual({ format: kind?.format, arch: kind?.arch }, { format: want.format, arch: want.arch });
      const others = entries.filter((e) => /(^|\/)(lib)?e_sqlite3\.(so|dylib|dll)$/.test(e.name) && e.name !== `extension/dist/server/${want.sqlite}`);
      assert.deepEqual(others.map((e) => e.name), [], 'another SQLite library');
    });

    test('holds nothing built for another platform', () => {
      assert.ok(file, `no ${target} package`);
      const foreign = entries
        .map((e) => ({ name: e.name, kind: binaryKind(e.read()) }))
        .filter(({ kind }) => kind !== undefined && !(kind.format === want.format && kind.arch === want.arch))
        .map(({ name, kind }) => `${name} (${kind.format} ${kind.arch})`);
      assert.deepEqual(foreign, []);
    });
  });
}

describe('universal package', () => {
  const file = packageFor(undefined);
  const entries = file ? readZip(join(vsixDir, file)) : [];

  test('carries the framework-dependent server and says it needs .NET', () => {
    assert.ok(file, 'no universal package');
    const names = entries.map((e) => e.name);
    assert.ok(names.includes('extension/dist/server/notes-lsp.dll'));
    assert.ok(names.includes('extension/dist/server/notes-lsp.runtimeconfig.json'));
    assert.ok(!names.includes('extension/dist/server/notes-lsp') && !names.includes('extension/dist/server/notes-lsp.exe'), 'a native server in the universal package');
    const vsixManifest = entries.find((e) => e.name === 'extension.vsixmanifest').read().toString('utf8');
    assert.doesNotMatch(vsixManifest, /TargetPlatform=/);
    const packaged = JSON.parse(entries.find((e) => e.name === 'extension/package.json').read().toString('utf8'));
    assert.match(packaged.description, /needs the \.NET 10 runtime/);
  });

  test("carries SQLite's native library for the platform it was built on", () => {
    // A framework-dependent publish for the building machine flattens only that platform's e_sqlite3 beside the
    // dll (a build without ReadyToRun keeps runtimes/RID/native for all); elsewhere the index is off (one log line).
    assert.ok(file, 'no universal package');
    const want = expected[host];
    const names = entries.map((e) => e.name);
    const native = names.filter((n) => /(^|\/)(lib)?e_sqlite3\.(so|dylib|dll)$/.test(n));
    assert.ok(native.length > 0, 'no e_sqlite3 library at all');
    if (want !== undefined && process.env.NOTES_NO_READY_TO_RUN !== '1') {
      const beside = entries.find((e) => e.name === `extension/dist/server/${want.sqlite}`);
      assert.ok(beside, `no extension/dist/server/${want.sqlite}; e_sqlite3 files: ${native.join(', ')}`);
      const kind = binaryKind(beside.read());
      assert.deepEqual({ format: kind?.format, arch: kind?.arch }, { format: want.format, arch: want.arch });
    }
  });
});

// The installed file, not only the zip: code-server unpacks the host's package the way VS Code does.
const codeServer = join(process.env.NOTES_E2E_TOOLS ?? join(homedir(), '.cache', 'notes-lsp-e2e'), 'code-server.sh');
const host = `${process.platform}-${process.arch}`;
if (process.env.NOTES_SKIP_E2E !== '1' && host in expected) {
  describe(`${host} package installed into code-server`, () => {
    test('the installed server keeps its executable bits and runs', () => {
      assert.ok(existsSync(codeServer), `${codeServer} is missing: run scripts/e2e-setup.sh (or set NOTES_SKIP_E2E=1)`);
      const file = packageFor(host);
      assert.ok(file, `no ${host} package`);
      const scratch = mkdtempSync(join(tmpdir(), 'notes-vsix-install-'));
      try {
        const output = execFileSync(codeServer, ['--user-data-dir', join(scratch, 'user'), '--extensions-dir', join(scratch, 'ext'), '--install-extension', join(vsixDir, file)], { encoding: 'utf8' });
        assert.match(output, /successfully installed/i);
        const installed = readdirSync(join(scratch, 'ext')).find((d) => d.startsWith(`${manifest.publisher}.${manifest.name}-`));
        assert.ok(installed, 'the extension folder is missing after install');
        const server = join(scratch, 'ext', installed, 'dist', 'server', expected[host].executable);
        assert.equal(statSync(server).mode & 0o111, 0o111, `installed without executable bits: ${(statSync(server).mode & 0o777).toString(8)}`);
        const version = execFileSync(server, ['--version'], { encoding: 'utf8', env: { PATH: '/usr/bin:/bin' } }).trim();
        assert.equal(version, manifest.version);

        // The installed server loads its SQLite library: check --cache writes the index into the cache home.
        const notes = join(scratch, 'notes');
        mkdirSync(notes);
        writeFileSync(join(notes, 'a.md'), '---\ntitle: A\ntags: [x]\n---\n# A\n');
        const cacheHome = join(scratch, 'cache');
        const check = spawnSync(server, ['check', '--cache', notes], { encoding: 'utf8', env: { PATH: '/usr/bin:/bin', XDG_CACHE_HOME: cacheHome } });
        assert.doesNotMatch(check.stderr, /index is off|did not load/, check.stderr);
        const indexDir = join(cacheHome, 'notes-lsp', 'index');
        assert.ok(existsSync(indexDir) && readdirSync(indexDir).some((f) => f.endsWith('.db')), `no index database in ${indexDir}: ${check.stderr}`);
      } finally {
        rmSync(scratch, { recursive: true, force: true });
      }
    });
  });
}
