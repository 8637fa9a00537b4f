// `npm run package`: one .vsix per platform, each carrying its own server, plus a universal one.
//
//   linux-x64                  NativeAOT executable (dist/server/notes-lsp): no .NET needed, fastest start
//   linux-arm64, darwin-x64,   self-contained, trimmed single-file executable with ReadyToRun code (NativeAOT
//   darwin-arm64, win32-x64    cannot cross-compile to another OS or CPU from Linux); no .NET needed either
//   universal                  framework-dependent notes-lsp.dll, run with `dotnet` (needs .NET 10; says so)
//
// Usage: node scripts/package.mjs [--targets all|host|linux-x64,win32-x64,...] [--no-universal]
//                                 [--out-dir DIR] [--out FILE (one target, or the universal package)]
// Default: every target and the universal package into out/vsix/. `--targets host` is the building
// machine's platform only (what ./build.sh makes). `--out FILE` alone writes the universal package to FILE.
//
// Each package is staged in its own folder (manifest, README, bundle, server) and packed there with
// `vsce package --target`, so no package can pick up another platform's files. Native libraries that
// the publish puts beside the executable (such as SQLite's e_sqlite3) ship with it.
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

/** VS Code's platform targets, the .NET runtime identifier and how each is built. */
export const targets = {
  'linux-x64': { rid: 'linux-x64', aot: true, executable: 'notes-lsp' },
  'linux-arm64': { rid: 'linux-arm64', aot: false, executable: 'notes-lsp' },
  'darwin-x64': { rid: 'osx-x64', aot: false, executable: 'notes-lsp' },
  'darwin-arm64': { rid: 'osx-arm64', aot: false, executable: 'notes-lsp' },
  'win32-x64': { rid: 'win-x64', aot: false, executable: 'notes-lsp.exe' },
};

const args = process.argv.slice(2);
const option = (name) => {
  const index = args.indexOf(name);
  return index >= 0 ? args[index + 1] : undefined;
};
const hostTarget = `${process.platform}-${process.arch}`;
const outFile = option('--out');
let wanted = option('--targets') ?? option('--target') ?? (outFile !== undefined ? 'none' : 'all');
if (wanted === 'host') {
  if (!(hostTarget in targets)) {
    throw new Error(`no native package for this machine (${hostTarget}); known targets: ${Object.keys(targets).join(', ')}`);
  }
  wanted = hostTarget;
}
const selected = wanted === 'all' ? Object.keys(targets) : wanted === 'none' ? [] : wanted.split(',').map((t) => t.trim());
for (const target of selected) {
  if (!(target in targets)) {
    throw new Error(`unknown target "${target}"; known: ${Object.keys(targets).join(', ')}, all, host`);
  }
}
const universal = !args.includes('--no-universal') && (outFile === undefined || selected.length === 0);
if (outFile !== undefined && selected.length + (universal ? 1 : 0) !== 1) {
  throw new Error('--out names one file: give one --target, or none for the universal package');
}
const outDir = resolve(option('--out-dir') ?? join(root, 'out', 'vsix'));
const stageRoot = join(root, 'out', 'vsix-stage');

function run(command, commandArgs, cwd = root) {
  console.log(`> ${command} ${commandArgs.join(' ')}`);
  execFileSync(command, commandArgs, { cwd, stdio: 'inherit' });
}

function publishServer(target, into) {
  const common = ['publish', 'server/NotesLsp.Server', '-c', 'Release', '-o', into, '--nologo', '-p:DebugType=none', '-p:GenerateDocumentationFile=false'];
  if (target === undefined) {
    // Framework-dependent, no apphost: `dotnet dist/server/notes-lsp.dll` on any platform with .NET 10.
    // ReadyToRun code for the building machine halves its start-up there; elsewhere the IL is JIT-compiled.
    const hostRid = targets[hostTarget]?.rid;
    const readyToRun = hostRid !== undefined && process.env.NOTES_NO_READY_TO_RUN !== '1';
    run('dotnet', [...common, ...(readyToRun ? ['-r', hostRid, '--self-contained', 'false', '-p:PublishReadyToRun=true'] : []), '-p:UseAppHost=false']);
    if (!existsSync(join(into, 'notes-lsp.dll'))) {
      throw new Error(`dotnet publish did not produce ${join(into, 'notes-lsp.dll')}`);
    }
    return;
  }
  const { rid, aot, executable } = targets[target];
  if (aot) {
    // NativeAOT: one native executable; StripSymbols leaves the debug symbols in a .dbg file we do not ship.
    run('dotnet', [...common, '-r', rid, '-p:PublishAot=true', '-p:StripSymbols=true']);
  } else {
    // Self-contained, one file; native libraries stay beside it (IncludeNativeLibrariesForSelfExtract would unpack
    // them to a temp folder at every start). ReadyToRun cross-compiles from Linux with crossgen2. Trimmed, with
    // warnings as errors: DebuggerSupport=false drops the debugger-display paths that made ILLink warn, and
    // server/NotesLsp.Server/ILLink.Suppressions.xml names the Newtonsoft.Json types StreamJsonRpc keeps but the
    // server never runs (NativeAOT's compiler, which sees only reachable code, reports nothing there).
    run('dotnet', [
      ...common, '-r', rid, '--self-contained', 'true', '-p:PublishSingleFile=true', '-p:PublishTrimmed=true',
      '-p:TrimmerSingleWarn=false', '-p:DebuggerSupport=false',
      '-p:PublishReadyToRun=true', '-p:EnableCompressionInSingleFile=false', '-p:IncludeNativeLibrariesForSelfExtract=false',
    ]);
  }
  const server = join(into, executable);
  if (!existsSync(server)) {
    throw new Error(`dotnet publish did not produce ${server}`);
  }
  for (const name of readdirSync(into)) {
    // Debug symbols and the unused managed leftovers of a single-file publish are not shipped.
    if (/\.(dbg|pdb|dSYM|xml)$/i.test(name)) {
      rmSync(join(into, name), { recursive: true, force: true });
    }
  }
  if (!executable.endsWith('.exe')) {
    chmodSync(server, 0o755);
  }
}

function stage(target, bundle) {
  const dir = join(stageRoot, target ?? 'universal');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'dist'), { recursive: true });
  const stagedManifest = { ...manifest };
  if (target === undefined) {
    stagedManifest.description = `${manifest.description} This universal package runs its server with .NET: it needs the .NET 10 runtime (or notes.dotnetPath). The platform-specific packages need nothing.`;
  }
  delete stagedManifest.scripts;
  delete stagedManifest.devDependencies;
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify(stagedManifest, null, 2)}\n`);
  for (const file of ['README.md', 'LICENSE', 'LICENSE.md', '.vscodeignore']) {
    if (existsSync(join(root, file))) {
      copyFileSync(join(root, file), join(dir, file));
    }
  }
  if (existsSync(join(root, 'docs', 'images'))) {
    cpSync(join(root, 'docs', 'images'), join(dir, 'docs', 'images'), { recursive: true });
  }
  copyFileSync(bundle, join(dir, 'dist', 'extension.js'));
  return dir;
}

const started = Date.now();
rmSync(stageRoot, { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });

// The client bundle is the same for every package.
rmSync(join(root, 'dist'), { recursive: true, force: true });
run(process.execPath, [join(root, 'client', 'esbuild.mjs'), '--production']);
const bundle = join(root, 'dist', 'extension.js');

const written = [];
for (const target of [...selected, ...(universal ? [undefined] : [])]) {
  const dir = stage(target, bundle);
  publishServer(target, join(dir, 'dist', 'server'));
  const name = target === undefined ? `${manifest.name}-${manifest.version}.vsix` : `${manifest.name}-${target}-${manifest.version}.vsix`;
  const vsix = outFile !== undefined ? resolve(outFile) : join(outDir, name);
  mkdirSync(dirname(vsix), { recursive: true });
  run(process.execPath, [
    join(root, 'node_modules', '@vscode', 'vsce', 'vsce'),
    // README pictures are relative (docs/images/, shipped in the .vsix): VS Code's extension page shows
    // them from the installed extension, and no repository URL is needed.
    'package', '--no-dependencies', '--allow-missing-repository', '--skip-license', '--no-rewrite-relative-links',
    ...(target === undefined ? [] : ['--target', target]),
    '--out', vsix,
  ], dir);
  written.push(vsix);
}
rmSync(stageRoot, { recursive: true, force: true });
for (const vsix of written) {
  console.log(`Wrote ${vsix} (${(statSync(vsix).size / 1024 / 1024).toFixed(1)} MB)`);
}
console.log(`${written.length} package(s) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
