import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, posix, relative, resolve } from 'node:path';
import { templateFiles } from '../../src/cli/init/templateFiles';
import { codeBlocks, pageDirectives, type CodeBlock } from './markdown';

/** The repository root, from `dist/test/docs/`. */
export const REPOSITORY = resolve(__dirname, '../../..');

/** Where the pages' projects are written and compiled: inside the repository, so that `fc-kernel` is the package itself. */
const OUT = join(REPOSITORY, 'dist/docs-blocks');
const TSC = join(REPOSITORY, 'node_modules/tsc7/bin/tsc');

/**
 * Modules a page may import without showing them: the order-service sample, compiled, so that a
 * snippet can say `import { CreateOrderFunction } from './CreateOrderFunction'` as a user's
 * project would.
 */
const CONTEXT_MODULES: Record<string, string> = {
  'src/CreateOrder.ts': 'dist/samples/order-service/CreateOrder',
  'src/CreateOrderFunction.ts': 'dist/samples/order-service/CreateOrderFunction',
  'src/OrderRepository.ts': 'dist/samples/order-service/OrderRepository',
  'src/PricingService.ts': 'dist/samples/order-service/PricingService',
};

/** A TypeScript block, written as one file of its page's project. */
export interface PlacedBlock {
  block: CodeBlock;
  /** Relative to the page's project: the block's `file=`, else `src/L<line>.ts`. */
  path: string;
  /** The compiled file, when the block is a test to run. */
  testFile: string | undefined;
  /** The compiled file. */
  jsFile: string;
  /** tsc's errors in the block, located in the Markdown file (`docs/testing.md:12:5 TS2304 ...`). */
  errors: string[];
}

/** One Markdown file's TypeScript blocks, compiled together as one project. */
export interface PageProject {
  doc: string;
  blocks: PlacedBlock[];
  /** Blocks marked `fragment`: shown, not compiled. */
  fragments: CodeBlock[];
  /** tsc's errors in files the page builds on but does not show (template, sample modules). */
  supportErrors: string[];
}

/** Every page's project, compiled by one run of tsc. */
export interface DocsProject {
  pages: PageProject[];
  /** tsc's errors outside any page (a broken tsconfig, a declaration file). */
  otherErrors: string[];
}

/** The Markdown files whose code is compiled: the README and every page of docs/. */
export function documentationFiles(): string[] {
  const docs = join(REPOSITORY, 'docs');
  const pages = existsSync(docs)
    ? readdirSync(docs, { recursive: true, encoding: 'utf8' })
        .filter((file) => file.endsWith('.md'))
        .map((file) => posix.join('docs', file.split(/[\\/]/).join('/')))
    : [];
  return ['README.md', ...pages.sort()];
}

let built: DocsProject | undefined;

/** The pages' projects, built and compiled once per test run, by whichever suite asks first. */
export function docsProject(): DocsProject {
  built ??= buildDocsProject();
  return built;
}

/** Where a page's project is compiled to: its `src/index.js` is the page's entry, if it has one. */
export function compiledPageDir(doc: string): string {
  return join(OUT, 'js', pageDir(doc));
}

function pageDir(doc: string): string {
  return doc.replace(/\.md$/, '').split('/').join('-');
}

/**
 * Writes each page's TypeScript blocks as the files of a project of its own (under
 * `dist/docs-blocks/ts/<page>/`), compiles them all with the repository's tsc in one run, and
 * maps every error back to its Markdown line.
 */
function buildDocsProject(docs = documentationFiles()): DocsProject {
  rmSync(OUT, { recursive: true, force: true });
  const pages = docs.map((doc) => writePage(doc));
  writeFileSync(join(OUT, 'tsconfig.json'), JSON.stringify(TSCONFIG, null, 2));
  const errors = compile();
  const byFile = new Map<string, { page: PageProject; placed?: PlacedBlock }>();
  for (const page of pages) {
    for (const file of page.files) byFile.set(file, { page: page.project });
    for (const placed of page.project.blocks) byFile.set(tsPath(page.dir, placed.path), { page: page.project, placed });
  }
  const otherErrors: string[] = [];
  for (const error of errors) {
    const owner = error.file === undefined ? undefined : byFile.get(error.file);
    if (owner?.placed) {
      const { block } = owner.placed;
      owner.placed.errors.push(`${block.doc}:${block.line + error.line - 1}:${error.column} ${error.text}`);
    } else if (owner) {
      owner.page.supportErrors.push(`${error.file}(${error.line},${error.column}): ${error.text}`);
    } else {
      otherErrors.push(error.file === undefined ? error.text : `${error.file}(${error.line}): ${error.text}`);
    }
  }
  return { pages: pages.map((page) => page.project), otherErrors };
}

const TSCONFIG = {
  compilerOptions: {
    target: 'ES2022',
    module: 'nodenext',
    moduleResolution: 'nodenext',
    lib: ['ES2022'],
    types: ['node', 'mocha'],
    strict: true,
    experimentalDecorators: true,
    emitDecoratorMetadata: true,
    useDefineForClassFields: false,
    noImplicitOverride: true,
    skipLibCheck: true,
    rootDir: 'ts',
    outDir: 'js',
  },
  include: ['ts'],
};

interface WrittenPage {
  dir: string;
  project: PageProject;
  /** The files written that are not blocks, relative to OUT. */
  files: string[];
}

function writePage(doc: string): WrittenPage {
  const text = readFileSync(join(REPOSITORY, doc), 'utf8');
  const dir = pageDir(doc);
  const root = join(OUT, 'ts', dir);
  mkdirSync(root, { recursive: true });
  const init = pageDirectives(doc, text).at(-1)?.init;
  if (init) writeInitSources(init, root);

  const blocks = codeBlocks(doc, text).filter((b) => b.lang === 'ts' || b.lang === 'typescript');
  const fragments = blocks.filter((b) => b.flags.has('fragment'));
  const placed = blocks
    .filter((b) => !b.flags.has('fragment'))
    .map((block): PlacedBlock => {
      const path = block.attributes.file ?? `src/L${block.line}.ts`;
      if (path.startsWith('/') || path.split('/').includes('..') || !path.endsWith('.ts')) {
        throw new Error(`${doc}:${block.line}: file=${path} must be a relative .ts path inside the project`);
      }
      const jsFile = join(OUT, 'js', dir, path.replace(/\.ts$/, '.js'));
      return {
        block,
        path,
        jsFile,
        testFile: path.endsWith('.test.ts') ? jsFile : undefined,
        errors: [],
      };
    });
  const shown = new Set(placed.map((p) => p.path));
  if (shown.size < placed.length) throw new Error(`${doc}: two blocks name the same file=`);
  for (const p of placed) {
    writeSource(
      join(root, p.path),
      `${p.block.code}\n// A block without imports is still a module of its own.\nexport {};\n`,
    );
  }
  for (const [path, target] of Object.entries(CONTEXT_MODULES)) {
    const file = join(root, path);
    if (shown.has(path) || existsSync(file)) continue;
    const specifier = relative(dirname(file), join(REPOSITORY, target)).split('\\').join('/');
    writeSource(file, `export * from '${specifier}';\n`);
  }
  const files = listFiles(root)
    .map((file) => relative(OUT, file).split('\\').join('/'))
    .filter((file) => !placed.some((p) => tsPath(dir, p.path) === file));
  return { dir, project: { doc, blocks: placed, fragments, supportErrors: [] }, files };
}

function tsPath(dir: string, path: string): string {
  return `ts/${dir}/${path}`;
}

/** The TypeScript sources of the project `fc-kernel init <functionName>` writes. */
function writeInitSources(functionName: string, root: string): void {
  for (const file of templateFiles(functionName)) {
    if (file.path.endsWith('.ts')) writeSource(join(root, file.path), file.content);
  }
}

function writeSource(file: string, content: string): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, content);
}

function listFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

interface CompileError {
  file: string | undefined;
  line: number;
  column: number;
  /** `TS2304 Cannot find name 'x'.`, continuation lines included. */
  text: string;
}

function compile(): CompileError[] {
  const run = spawnSync(process.execPath, [TSC, '-p', 'tsconfig.json', '--pretty', 'false'], {
    cwd: OUT,
    encoding: 'utf8',
  });
  if (run.error) throw run.error;
  const errors: CompileError[] = [];
  for (const line of `${run.stdout}${run.stderr}`.split('\n')) {
    const located = /^(.+?)\((\d+),(\d+)\): error (TS\d+): (.*)$/.exec(line);
    const general = /^error (TS\d+): (.*)$/.exec(line);
    if (located) {
      const [, file, row, column, code, message] = located as unknown as string[];
      errors.push({
        file: file!.split('\\').join('/'),
        line: Number(row),
        column: Number(column),
        text: `${code} ${message}`,
      });
    } else if (general) {
      errors.push({ file: undefined, line: 0, column: 0, text: `${general[1]} ${general[2]}` });
    } else if (line.trim() && errors.length > 0) {
      errors.at(-1)!.text += `\n${line}`;
    }
  }
  if (run.status !== 0 && errors.length === 0) {
    errors.push({
      file: undefined,
      line: 0,
      column: 0,
      text: `tsc exited with ${run.status}: ${run.stdout}${run.stderr}`,
    });
  }
  return errors;
}
