import { writeFileSync, mkdirSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { CliError, usageError } from './CliError';
import { fileErrorReason } from './fileErrorReason';
import type { Command } from './Command';
import { fcKernelDependency } from './init/dependencySpec';
import { functionNameProblem } from './init/functionName';
import { projectManifest } from './init/projectManifest';
import { prepareTargetDirectory } from './init/targetDirectory';
import { templateFiles, type ProjectFile } from './init/templateFiles';
import { packageManifest } from './packageManifest';
import { parseCommandArgs } from './parseCommandArgs';

const OPTIONS = {
  name: { type: 'string', short: 'n' },
  dependency: { type: 'string', short: 'd' },
} as const;

const HELP = `Usage:
  fc-kernel init <dir> [options]

Writes a new project into <dir>, which must be empty or not exist yet: one function (an event
class with validation rules, an injected service, @OnInitialize), its tests with
fc-kernel/testing, an event.json, a Dockerfile and an s.yaml for Serverless Devs' fc3 component.
Its package.json has fc-kernel, fc-kernel's peers, TypeScript 7, mocha, and esbuild for
fc-kernel build, which the Dockerfile bundles the function with.

Options:
  -n, --name <name>        the function's name, and the project's (default: <dir>'s name);
                           letters, digits, _ and -, starting with a letter or _, 64 at most
  -d, --dependency <spec>  the fc-kernel dependency's npm spec (default: ^ this fc-kernel's
                           version); file:<path> installs a tarball, a relative path being
                           read from the current directory
  -h, --help               show this help

Then: cd <dir> && npm install && npm test

Exit status: 0 when the project is written; 2 for a usage error, an invalid function name or a
directory that is not empty.

Examples:
  fc-kernel init resize-image
  fc-kernel init orders --name create-order --dependency file:fc-kernel-0.1.0.tgz
`;

/** `fc-kernel init`: a new project, ready to install, test, run and deploy. */
export const initCommand: Command = {
  name: 'init',
  summary: 'write a new project: a function, its tests, a Dockerfile and an s.yaml',
  help: HELP,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, OPTIONS);
    if (positionals.length !== 1) throw usageError('give the directory to write the project into');
    const shown = positionals[0];
    const dir = resolve(io.cwd, shown);
    const functionName = values.name ?? basename(dir);
    const problem = functionNameProblem(functionName);
    if (problem !== undefined) {
      throw usageError(
        values.name === undefined
          ? `the directory's name is not a function name FC accepts (${problem}): give one with --name`
          : `--name: ${problem}`,
      );
    }
    const fcKernel = packageManifest();
    const dependency = fcKernelDependency(values.dependency, fcKernel.version, io.cwd, dir);
    const files: ProjectFile[] = [
      {
        path: 'package.json',
        content: JSON.stringify(projectManifest(functionName, dependency, fcKernel), null, 2) + '\n',
      },
      ...templateFiles(functionName),
    ];
    prepareTargetDirectory(dir, shown);
    for (const file of files) {
      const path = join(dir, file.path);
      try {
        mkdirSync(dirname(path), { recursive: true });
        writeFileSync(path, file.content, { flag: 'wx' });
      } catch (error) {
        const reason = fileErrorReason(error as NodeJS.ErrnoException);
        throw new CliError(`cannot write ${join(shown, file.path)}: ${reason}`, { cause: error });
      }
    }
    const cd = shellWord(relative(io.cwd, dir) || '.');
    io.stdout.write(
      `Wrote the project of the function ${functionName} into ${cd === '.' ? 'the current directory' : cd}.\n\n` +
        'Next:\n' +
        (cd === '.' ? '' : `  cd ${cd}\n`) +
        '  npm install\n' +
        '  npm test\n' +
        '  npx fc-kernel invoke dist/src/index.js --event event.json\n' +
        '  npm start\n' +
        'and README.md for the image and the deployment.\n',
    );
    return 0;
  },
};

/** A path as a shell reads it back: quoted when it holds anything but plain characters. */
function shellWord(path: string): string {
  return /^[\w./-]+$/.test(path) ? path : `'${path.split("'").join(`'\\''`)}'`;
}
