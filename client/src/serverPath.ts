// Decides how to start the language server. Kept free of the `vscode` module (the file system,
// environment and platform are passed in) so that every branch is unit-tested under Node.
import * as nodePath from 'node:path';

/** What the resolver needs to know about the machine and the user's settings. */
export interface LaunchInputs {
  /** The folder the extension is installed in; the shipped server lives in `dist/server` below it. */
  readonly extensionPath: string;
  /** `notes.server.path`: empty to use the shipped server. */
  readonly serverPathSetting: string;
  /** `notes.dotnetPath`: empty to search for `dotnet`. */
  readonly dotnetPathSetting: string;
  readonly platform: NodeJS.Platform;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly homeDir: string;
  /** The first workspace folder, against which relative setting paths are resolved. */
  readonly workspaceFolder: string | undefined;
  /** True when the path names an existing regular file. */
  readonly isFile: (path: string) => boolean;
}

/** A command line that starts the server speaking LSP over stdio. */
export interface ServerCommand {
  readonly kind: 'command';
  readonly command: string;
  readonly args: readonly string[];
  /** True for the native executable shipped in a platform-specific package (no .NET involved). */
  readonly bundledNative?: boolean;
  /** One line for the output channel that says which server runs and why. */
  readonly description: string;
}

/** Why the server cannot be started, worded for the user, with what to do about it. */
export interface LaunchError {
  readonly kind: 'error';
  readonly message: string;
  /** True when the fix is installing .NET, so the UI can offer the download page. */
  readonly dotnetMissing: boolean;
}

export type LaunchPlan = ServerCommand | LaunchError;

/** The server's assembly inside the universal package, as `npm run package` publishes it. */
export const shippedServerRelativePath = ['dist', 'server', 'notes-lsp.dll'] as const;

/** The native server inside a platform-specific package (NativeAOT or self-contained single file). */
export function shippedNativeServerRelativePath(platform: NodeJS.Platform): readonly string[] {
  return ['dist', 'server', platform === 'win32' ? 'notes-lsp.exe' : 'notes-lsp'];
}

/**
 * The file mode to give the shipped native server when its executable bits were lost (an unzip tool
 * that drops them); undefined when it is executable already.
 */
export function repairedExecutableMode(mode: number): number | undefined {
  return (mode & 0o111) === 0o111 ? undefined : (mode & 0o7777) | 0o755;
}

export const dotnetDownloadUrl = 'https://dotnet.microsoft.com/download/dotnet/10.0';

export function resolveServerLaunch(inputs: LaunchInputs): LaunchPlan {
  const path = pathFor(inputs.platform);
  const configured = expandSettingPath(inputs.serverPathSetting, inputs);
  if (configured !== undefined) {
    if (!inputs.isFile(configured)) {
      return {
        kind: 'error',
        dotnetMissing: false,
        message: `notes.server.path is set to "${inputs.serverPathSetting}", but there is no file at ${configured}. Fix the path or clear the setting to use the server shipped with the extension.`,
      };
    }
    if (!configured.toLowerCase().endsWith('.dll')) {
      return { kind: 'command', command: configured, args: [], description: `server from notes.server.path: ${configured}` };
    }
    return withDotnet(configured, `server from notes.server.path: ${configured}`, inputs);
  }

  // A platform-specific package carries its own native server: started directly, .NET is never looked for.
  const native = path.join(inputs.extensionPath, ...shippedNativeServerRelativePath(inputs.platform));
  if (inputs.isFile(native)) {
    return { kind: 'command', command: native, args: [], bundledNative: true, description: `shipped native server: ${native}` };
  }

  // The universal package carries the framework-dependent server, which needs .NET.
  const shipped = path.join(inputs.extensionPath, ...shippedServerRelativePath);
  if (!inputs.isFile(shipped)) {
    return {
      kind: 'error',
      dotnetMissing: false,
      message: `The language server shipped with the extension is missing (neither ${native} nor ${shipped}). Reinstall the extension, or set notes.server.path to a server you built (dotnet publish server/NotesLsp.Server).`,
    };
  }
  return withDotnet(shipped, `shipped server: ${shipped}`, inputs);
}

/**
 * Finds the `dotnet` host: the setting first, then DOTNET_ROOT, then PATH, then the folders the
 * official installers and Linux packages use, so that a VS Code started from a desktop menu (with a
 * shorter PATH than a terminal) still finds it.
 */
export function findDotnet(inputs: LaunchInputs): { found: string } | { notFound: string[] } | { badSetting: string } {
  const path = pathFor(inputs.platform);
  const exe = inputs.platform === 'win32' ? 'dotnet.exe' : 'dotnet';
  const configured = expandSettingPath(inputs.dotnetPathSetting, inputs);
  if (configured !== undefined) {
    return inputs.isFile(configured) ? { found: configured } : { badSetting: configured };
  }

  const candidates: string[] = [];
  const dotnetRoot = inputs.env['DOTNET_ROOT'];
  if (dotnetRoot) {
    candidates.push(path.join(dotnetRoot, exe));
  }
  const pathVariable = inputs.env['PATH'] ?? inputs.env['Path'] ?? '';
  const separator = inputs.platform === 'win32' ? ';' : ':';
  for (const dir of pathVariable.split(separator)) {
    if (dir.trim() !== '') {
      candidates.push(path.join(dir.trim(), exe));
    }
  }
  candidates.push(...wellKnownDotnetLocations(inputs));

  const unique = [...new Set(candidates)];
  const found = unique.find((candidate) => inputs.isFile(candidate));
  return found !== undefined ? { found } : { notFound: unique };
}

/**
 * Reads `dotnet --list-runtimes` and says, in words for the user, what is wrong when the
 * server's runtime (Microsoft.NETCore.App 10 or later) is not there; undefined when it is.
 */
export function missingRuntimeHint(listRuntimesOutput: string, requiredMajor = 10): string | undefined {
  const versions = listRuntimesOutput
    .split(/\r?\n/)
    .map((line) => /^Microsoft\.NETCore\.App\s+(\d+)\.(\d+)\.(\S+)/.exec(line.trim()))
    .filter((match): match is RegExpExecArray => match !== null)
    .map((match) => `${match[1]}.${match[2]}.${match[3]}`);
  if (versions.some((version) => Number.parseInt(version, 10) >= requiredMajor)) {
    return undefined;
  }
  const present = versions.length === 0 ? 'no .NET runtime' : `only .NET ${versions.join(', ')}`;
  return `The Notes language server needs the .NET ${requiredMajor} runtime, but this dotnet has ${present}. Install the .NET ${requiredMajor} runtime (${dotnetDownloadUrl}), or point notes.dotnetPath at a dotnet that has it.`;
}

function withDotnet(assembly: string, description: string, inputs: LaunchInputs): LaunchPlan {
  const dotnet = findDotnet(inputs);
  if ('found' in dotnet) {
    return { kind: 'command', command: dotnet.found, args: [assembly], description: `${description} (run by ${dotnet.found})` };
  }
  if ('badSetting' in dotnet) {
    return {
      kind: 'error',
      dotnetMissing: true,
      message: `notes.dotnetPath is set to "${inputs.dotnetPathSetting}", but there is no file at ${dotnet.badSetting}. Point it at the dotnet executable of a .NET 10 installation, or clear it to search PATH.`,
    };
  }
  const install =
    inputs.platform === 'linux'
      ? 'Install the .NET 10 runtime (on Debian or Ubuntu: sudo apt-get install dotnet-runtime-10.0; or from ' + dotnetDownloadUrl + ')'
      : `Install the .NET 10 runtime from ${dotnetDownloadUrl}`;
  return {
    kind: 'error',
    dotnetMissing: true,
    message: `The Notes language server needs .NET, and no dotnet executable was found (looked in DOTNET_ROOT, PATH and the usual install folders). ${install}, then run "Notes: Restart Server"; or set notes.dotnetPath to your dotnet executable.`,
  };
}

function wellKnownDotnetLocations(inputs: LaunchInputs): string[] {
  const path = pathFor(inputs.platform);
  switch (inputs.platform) {
    case 'win32': {
      const locations: string[] = [];
      const programFiles = inputs.env['ProgramFiles'] ?? 'C:\\Program Files';
      locations.push(path.join(programFiles, 'dotnet', 'dotnet.exe'));
      const localAppData = inputs.env['LOCALAPPDATA'];
      if (localAppData) {
        locations.push(path.join(localAppData, 'Microsoft', 'dotnet', 'dotnet.exe'));
      }
      locations.push(path.join(inputs.homeDir, '.dotnet', 'dotnet.exe'));
      return locations;
    }
    case 'darwin':
      return ['/usr/local/share/dotnet/dotnet', '/opt/homebrew/bin/dotnet', path.join(inputs.homeDir, '.dotnet', 'dotnet')];
    default:
      return [
        '/usr/share/dotnet/dotnet',
        '/usr/lib/dotnet/dotnet',
        '/usr/local/share/dotnet/dotnet',
        '/snap/bin/dotnet',
        path.join(inputs.homeDir, '.dotnet', 'dotnet'),
      ];
  }
}

/** Expands `~` and `${workspaceFolder}` and makes relative paths relative to the workspace folder. */
function expandSettingPath(setting: string, inputs: LaunchInputs): string | undefined {
  const path = pathFor(inputs.platform);
  let value = setting.trim();
  if (value === '') {
    return undefined;
  }
  if (inputs.workspaceFolder !== undefined) {
    value = value.split('${workspaceFolder}').join(inputs.workspaceFolder);
  }
  if (value === '~' || value.startsWith('~/') || value.startsWith('~\\')) {
    value = path.join(inputs.homeDir, value.slice(1));
  }
  if (!path.isAbsolute(value) && inputs.workspaceFolder !== undefined) {
    value = path.join(inputs.workspaceFolder, value);
  }
  return path.normalize(value);
}

function pathFor(platform: NodeJS.Platform): nodePath.PlatformPath {
  return platform === 'win32' ? nodePath.win32 : nodePath.posix;
}
