// `npm run package`: publishes the .NET server into dist/server, bundles the client into
// dist/extension.js and writes notes-lsp-<version>.vsix with @vscode/vsce. The .vsix holds only
// what runs (see .vscodeignore): the bundle, the server assemblies (the ICML 2024 catalog is
// embedded in NotesLsp.Papers) and the manifest, README and license.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const outIndex = process.argv.indexOf('--out');
const vsixPath = outIndex > 0 ? resolve(process.argv[outIndex + 1]) : join(root, `${manifest.name}-${manifest.version}.vsix`);

function run(command, args) {
  console.log(`> ${command} ${args.join(' ')}`);
  execFileSync(command, args, { cwd: root, stdio: 'inherit' });
}

const started = Date.now();
rmSync(join(root, 'dist'), { recursive: true, force: true });

// Framework-dependent and without an apphost: the client runs `dotnet dist/server/notes-lsp.dll`, so
// one .vsix serves every platform that has the .NET 10 runtime. ReadyToRun code for the building
// machine's platform halves the server's spawn-to-initialize time (about 420 to 240 ms measured here);
// on another platform the runtime ignores that code and JIT-compiles the IL that is still there.
// NOTES_NO_READY_TO_RUN=1 publishes plain IL.
const rid = { 'linux-x64': 'linux-x64', 'linux-arm64': 'linux-arm64', 'darwin-x64': 'osx-x64', 'darwin-arm64': 'osx-arm64', 'win32-x64': 'win-x64', 'win32-arm64': 'win-arm64' }[`${process.platform}-${process.arch}`];
const readyToRun = rid !== undefined && process.env.NOTES_NO_READY_TO_RUN !== '1';
run('dotnet', [
  'publish', 'server/NotesLsp.Server', '-c', 'Release', '-o', 'dist/server',
  ...(readyToRun ? ['-r', rid, '--self-contained', 'false', '-p:PublishReadyToRun=true'] : []),
  '-p:UseAppHost=false', '-p:DebugType=none', '-p:GenerateDocumentationFile=false', '--nologo',
]);
if (!existsSync(join(root, 'dist', 'server', 'notes-lsp.dll'))) {
  throw new Error('dotnet publish did not produce dist/server/notes-lsp.dll');
}

run(process.execPath, [join(root, 'client', 'esbuild.mjs'), '--production']);

// The bundle already contains the client's dependencies, so vsce must not add node_modules.
run(process.execPath, [
  join(root, 'node_modules', '@vscode', 'vsce', 'vsce'),
  // README pictures are relative (docs/images/, shipped in the .vsix): VS Code's extension page shows
  // them from the installed extension, and no repository URL is needed.
  'package', '--no-dependencies', '--allow-missing-repository', '--skip-license', '--no-rewrite-relative-links', '--out', vsixPath,
]);
console.log(`Wrote ${vsixPath} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
