import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { findDotnet, missingRuntimeHint, repairedExecutableMode, resolveServerLaunch, type LaunchInputs } from '../src/serverPath';

/** A Linux machine with the given files and PATH; every other input at a plain default. */
function machine(files: string[], overrides: Partial<LaunchInputs> = {}): LaunchInputs {
  const existing = new Set(files);
  return {
    extensionPath: '/ext',
    serverPathSetting: '',
    dotnetPathSetting: '',
    platform: 'linux',
    env: { PATH: '/usr/local/bin:/usr/bin' },
    homeDir: '/home/ada',
    workspaceFolder: '/notes',
    isFile: (path) => existing.has(path),
    ...overrides,
  };
}

/** Renders a plan as one line: the command line, or "error: <message>". */
function render(inputs: LaunchInputs): string {
  const plan = resolveServerLaunch(inputs);
  return plan.kind === 'command' ? [plan.command, ...plan.args].join(' ') : `error${plan.dotnetMissing ? ' (dotnet)' : ''}: ${plan.message}`;
}

describe('resolveServerLaunch', () => {
  test('runs the shipped server with dotnet from PATH', () => {
    assert.equal(render(machine(['/ext/dist/server/notes-lsp.dll', '/usr/bin/dotnet'])), '/usr/bin/dotnet /ext/dist/server/notes-lsp.dll');
  });

  test('takes the first dotnet on PATH', () => {
    assert.equal(
      render(machine(['/ext/dist/server/notes-lsp.dll', '/usr/bin/dotnet', '/usr/local/bin/dotnet'])),
      '/usr/local/bin/dotnet /ext/dist/server/notes-lsp.dll',
    );
  });

  test('prefers DOTNET_ROOT over PATH', () => {
    const inputs = machine(['/ext/dist/server/notes-lsp.dll', '/usr/bin/dotnet', '/opt/dn/dotnet'], {
      env: { PATH: '/usr/bin', DOTNET_ROOT: '/opt/dn' },
    });
    assert.equal(render(inputs), '/opt/dn/dotnet /ext/dist/server/notes-lsp.dll');
  });

  test('finds dotnet in the usual install folder when PATH lacks it (VS Code started from a menu)', () => {
    const inputs = machine(['/ext/dist/server/notes-lsp.dll', '/usr/share/dotnet/dotnet'], { env: { PATH: '/bin' } });
    assert.equal(render(inputs), '/usr/share/dotnet/dotnet /ext/dist/server/notes-lsp.dll');
  });

  test('finds dotnet in ~/.dotnet (dotnet-install.sh)', () => {
    const inputs = machine(['/ext/dist/server/notes-lsp.dll', '/home/ada/.dotnet/dotnet'], { env: {} });
    assert.equal(render(inputs), '/home/ada/.dotnet/dotnet /ext/dist/server/notes-lsp.dll');
  });

  test('notes.dotnetPath wins over PATH, with ~ expanded', () => {
    const inputs = machine(['/ext/dist/server/notes-lsp.dll', '/usr/bin/dotnet', '/home/ada/dn10/dotnet'], { dotnetPathSetting: '~/dn10/dotnet' });
    assert.equal(render(inputs), '/home/ada/dn10/dotnet /ext/dist/server/notes-lsp.dll');
  });

  test('a notes.dotnetPath that does not exist is an error naming the setting, not a silent fallback', () => {
    const inputs = machine(['/ext/dist/server/notes-lsp.dll', '/usr/bin/dotnet'], { dotnetPathSetting: '/nope/dotnet' });
    assert.equal(
      render(inputs),
      'error (dotnet): notes.dotnetPath is set to "/nope/dotnet", but there is no file at /nope/dotnet. Point it at the dotnet executable of a .NET 10 installation, or clear it to search PATH.',
    );
  });

  test('no dotnet anywhere: says what to install and which setting to use', () => {
    const inputs = machine(['/ext/dist/server/notes-lsp.dll']);
    assert.equal(
      render(inputs),
      'error (dotnet): The Notes language server needs .NET, and no dotnet executable was found (looked in DOTNET_ROOT, PATH and the usual install folders). ' +
        'Install the .NET 10 runtime (on Debian or Ubuntu: sudo apt-get install dotnet-runtime-10.0; or from https://dotnet.microsoft.com/download/dotnet/10.0), ' +
        'then run "Notes: Restart Server"; or set notes.dotnetPath to your dotnet executable.',
    );
  });

  test('notes.server.path to an executable runs it directly, without dotnet', () => {
    const inputs = machine(['/opt/notes-lsp/notes-lsp'], { serverPathSetting: '/opt/notes-lsp/notes-lsp' });
    assert.equal(render(inputs), '/opt/notes-lsp/notes-lsp');
  });

  test('notes.server.path to a .dll runs it with dotnet, relative to the workspace folder', () => {
    const inputs = machine(['/notes/build/notes-lsp.dll', '/usr/bin/dotnet'], { serverPathSetting: 'build/notes-lsp.dll' });
    assert.equal(render(inputs), '/usr/bin/dotnet /notes/build/notes-lsp.dll');
  });

  test('notes.server.path with ${workspaceFolder}', () => {
    const inputs = machine(['/notes/bin/notes-lsp'], { serverPathSetting: '${workspaceFolder}/bin/notes-lsp' });
    assert.equal(render(inputs), '/notes/bin/notes-lsp');
  });

  test('a notes.server.path that does not exist is an error naming the setting', () => {
    const inputs = machine(['/ext/dist/server/notes-lsp.dll', '/usr/bin/dotnet'], { serverPathSetting: '/missing/notes-lsp' });
    assert.equal(
      render(inputs),
      'error: notes.server.path is set to "/missing/notes-lsp", but there is no file at /missing/notes-lsp. Fix the path or clear the setting to use the server shipped with the extension.',
    );
  });

  test('a missing shipped server says to reinstall', () => {
    assert.match(
      render(machine(['/usr/bin/dotnet'])),
      /^error: The language server shipped with the extension is missing \(neither \/ext\/dist\/server\/notes-lsp nor \/ext\/dist\/server\/notes-lsp\.dll\)\. Reinstall/,
    );
  });

  test('Windows: Path variable, semicolons and dotnet.exe', () => {
    const inputs = machine(['C:\\ext\\dist\\server\\notes-lsp.dll', 'D:\\tools\\dotnet\\dotnet.exe'], {
      platform: 'win32',
      extensionPath: 'C:\\ext',
      env: { Path: 'C:\\Windows;D:\\tools\\dotnet' },
      homeDir: 'C:\\Users\\ada',
      workspaceFolder: 'C:\\notes',
    });
    assert.equal(render(inputs), 'D:\\tools\\dotnet\\dotnet.exe C:\\ext\\dist\\server\\notes-lsp.dll');
  });

  test('Windows: Program Files when PATH lacks dotnet', () => {
    const inputs = machine(['C:\\ext\\dist\\server\\notes-lsp.dll', 'C:\\Program Files\\dotnet\\dotnet.exe'], {
      platform: 'win32',
      extensionPath: 'C:\\ext',
      env: { Path: 'C:\\Windows', ProgramFiles: 'C:\\Program Files' },
      homeDir: 'C:\\Users\\ada',
      workspaceFolder: undefined,
    });
    assert.equal(render(inputs), 'C:\\Program Files\\dotnet\\dotnet.exe C:\\ext\\dist\\server\\notes-lsp.dll');
  });

  test('macOS: the installer folder', () => {
    const inputs = machine(['/ext/dist/server/notes-lsp.dll', '/usr/local/share/dotnet/dotnet'], { platform: 'darwin', env: { PATH: '/usr/bin' } });
    assert.equal(render(inputs), '/usr/local/share/dotnet/dotnet /ext/dist/server/notes-lsp.dll');
  });
});

describe('resolveServerLaunch with a platform-specific package', () => {
  test('starts the bundled native server directly, with no dotnet anywhere on the machine', () => {
    const inputs = machine(['/ext/dist/server/notes-lsp'], { env: {}, homeDir: '/nonexistent' });
    const plan = resolveServerLaunch(inputs);
    assert.equal(plan.kind, 'command');
    assert.equal(render(inputs), '/ext/dist/server/notes-lsp');
    assert.equal(plan.kind === 'command' && plan.bundledNative, true);
  });

  test('never asks for dotnet when the native server is there, even with a broken notes.dotnetPath', () => {
    const files = ['/ext/dist/server/notes-lsp'];
    assert.equal(render(machine(files, { dotnetPathSetting: '/missing/dotnet' })), '/ext/dist/server/notes-lsp');
  });

  test('prefers the native server over a framework-dependent one beside it', () => {
    assert.equal(render(machine(['/ext/dist/server/notes-lsp', '/ext/dist/server/notes-lsp.dll', '/usr/bin/dotnet'])), '/ext/dist/server/notes-lsp');
  });

  test('Windows: notes-lsp.exe', () => {
    const inputs = machine(['C:\\ext\\dist\\server\\notes-lsp.exe'], { platform: 'win32', extensionPath: 'C:\\ext', env: {} });
    assert.equal(render(inputs), 'C:\\ext\\dist\\server\\notes-lsp.exe');
  });

  test('a Linux executable name does not count on Windows (that package would be the wrong one)', () => {
    const inputs = machine(['C:\\ext\\dist\\server\\notes-lsp'], { platform: 'win32', extensionPath: 'C:\\ext', env: {} });
    assert.match(render(inputs), /^error: The language server shipped with the extension is missing/);
  });

  test('notes.server.path still wins over the bundled server', () => {
    const files = ['/ext/dist/server/notes-lsp', '/opt/my-notes-lsp'];
    assert.equal(render(machine(files, { serverPathSetting: '/opt/my-notes-lsp' })), '/opt/my-notes-lsp');
  });

  test('the universal package without dotnet keeps the .NET error', () => {
    assert.match(render(machine(['/ext/dist/server/notes-lsp.dll'], { env: {}, homeDir: '/nonexistent' })), /^error \(dotnet\): The Notes language server needs \.NET/);
  });
});

describe('repairedExecutableMode', () => {
  test('an executable file is left alone', () => {
    assert.equal(repairedExecutableMode(0o100755), undefined);
  });

  test('a file that lost its executable bits gets rwxr-xr-x', () => {
    assert.equal(repairedExecutableMode(0o100644), 0o755);
    assert.equal(repairedExecutableMode(0o100700), 0o755);
  });
});

describe('findDotnet', () => {
  test('lists every place it looked, without duplicates, when nothing is found', () => {
    const result = findDotnet(machine([], { env: { PATH: '/usr/bin:/usr/bin:' } }));
    assert.deepEqual(result, {
      notFound: ['/usr/bin/dotnet', '/usr/share/dotnet/dotnet', '/usr/lib/dotnet/dotnet', '/usr/local/share/dotnet/dotnet', '/snap/bin/dotnet', '/home/ada/.dotnet/dotnet'],
    });
  });
});

describe('missingRuntimeHint', () => {
  test('a .NET 10 runtime is enough', () => {
    const output = [
      'Microsoft.AspNetCore.App 10.0.12 [/usr/share/dotnet/shared/Microsoft.AspNetCore.App]',
      'Microsoft.NETCore.App 10.0.12 [/usr/share/dotnet/shared/Microsoft.NETCore.App]',
    ].join('\n');
    assert.equal(missingRuntimeHint(output), undefined);
  });

  test('a later major version is enough too (roll forward)', () => {
    assert.equal(missingRuntimeHint('Microsoft.NETCore.App 11.0.0-preview.1 [/x]\r\n'), undefined);
  });

  test('only older runtimes: names them and says what to install', () => {
    const output = 'Microsoft.NETCore.App 8.0.30 [/x]\nMicrosoft.NETCore.App 9.0.22 [/x]\nMicrosoft.WindowsDesktop.App 10.0.1 [/x]\n';
    assert.equal(
      missingRuntimeHint(output),
      'The Notes language server needs the .NET 10 runtime, but this dotnet has only .NET 8.0.30, 9.0.22. Install the .NET 10 runtime (https://dotnet.microsoft.com/download/dotnet/10.0), or point notes.dotnetPath at a dotnet that has it.',
    );
  });

  test('an SDK-less, runtime-less dotnet host', () => {
    assert.match(missingRuntimeHint('') ?? '', /but this dotnet has no \.NET runtime\./);
  });
});
