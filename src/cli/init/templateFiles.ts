import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CliError } from '../CliError';
import { PACKAGE_ROOT } from '../packageManifest';
import { projectName } from './projectName';

/** The project template: real files, shipped in the package beside `dist/`. */
export const TEMPLATE_DIR = join(PACKAGE_ROOT, 'templates/project');

/** The function name the template is written with: a new project gets its own in its place. */
export const TEMPLATE_FUNCTION_NAME = 'my-function';

/**
 * The project name the template is written with (its image's, its Serverless Devs
 * application's): a new project gets the one {@link projectName} makes of its function's name.
 */
export const TEMPLATE_PROJECT_NAME = 'my-project';

/** A file of the new project. */
export interface ProjectFile {
  /** Relative to the project, with `/`. */
  readonly path: string;
  readonly content: string;
}

/**
 * The template's files for a function named `functionName`, in a project named after it. A file
 * name's leading `_` stands for a `.`: npm leaves a `.gitignore` (and other dotfiles) out of a
 * package, so the template cannot ship them under their own names.
 *
 * @throws CliError (exit 1) when the template is missing: an incomplete installation.
 */
export function templateFiles(functionName: string, dir = TEMPLATE_DIR): ProjectFile[] {
  let paths: string[];
  try {
    paths = readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => join(entry.parentPath, entry.name).slice(dir.length + 1));
  } catch (error) {
    throw new CliError(`fc-kernel's project template is missing from ${dir}: reinstall fc-kernel`, {
      exitCode: 1,
      cause: error,
    });
  }
  const project = projectName(functionName);
  return paths.sort().map((path) => ({
    path: projectPath(path),
    content: readFileSync(join(dir, path), 'utf8')
      .split(TEMPLATE_FUNCTION_NAME)
      .join(functionName)
      .split(TEMPLATE_PROJECT_NAME)
      .join(project),
  }));
}

function projectPath(templatePath: string): string {
  return templatePath
    .split(/[\\/]/)
    .map((part) => (part.startsWith('_') ? `.${part.slice(1)}` : part))
    .join('/');
}
