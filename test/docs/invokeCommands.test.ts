// The guide's `npx fc-kernel invoke` and `inspect` commands work as written: each is run in-process against
// what the page builds (its entry `dist/src/index.js` is the page's compiled project; an
// `events/...` or `event.json` file is the page's ```json block of that name, or the file
// `fc-kernel init` writes), or against the repository's compiled samples. When an invoke's
// block is followed by a plain block holding JSON, that is what the command must print; an
// inspect's plain block is its output, line for line. A block's directive may name the exit code.
import { expect } from 'chai';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { templateFiles } from '../../src/cli/init/templateFiles';
import { cli } from '../cli/helpers';
import { compiledPageDir, docsProject, documentationFiles, REPOSITORY } from './docsProject';
import { codeBlocks, pageDirectives, type CodeBlock } from './markdown';

interface InvokeCommand {
  where: string;
  argv: string[];
  cwd: string;
  /** What the page shows the command printing, if it shows any: JSON for invoke, text for inspect. */
  printed: unknown;
  exitCode: number;
  /** The entry as the page names it, where it differs from the one run (`dist/src/...`). */
  shownEntry: string;
}

const COMMAND = /^npx fc-kernel ((invoke|inspect) .*)$/;

/** The text of a plain block, or undefined when `block` is not one. */
function textOf(block: CodeBlock | undefined): string | undefined {
  return block?.lang === '' ? block.code.trimEnd() : undefined;
}

/** The JSON of a plain block, or undefined when it is not one line of JSON. */
function jsonOf(block: CodeBlock | undefined): unknown {
  if (!block || block.lang !== '' || block.code.trim().includes('\n')) return undefined;
  try {
    return JSON.parse(block.code);
  } catch {
    return undefined;
  }
}

/** Writes the files a page's commands read into its compiled project: its json blocks, init's files. */
function writeEventFiles(doc: string, text: string, blocks: CodeBlock[]): void {
  const dir = compiledPageDir(doc);
  const files = new Map<string, string>();
  const init = pageDirectives(doc, text).at(-1)?.init;
  if (init) for (const file of templateFiles(init)) if (file.path.endsWith('.json')) files.set(file.path, file.content);
  for (const block of blocks) {
    if (block.lang === 'json' && block.attributes.file) files.set(block.attributes.file, block.code);
  }
  for (const [path, content] of files) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
}

function commandsOf(doc: string): InvokeCommand[] {
  const text = readFileSync(join(REPOSITORY, doc), 'utf8');
  const blocks = codeBlocks(doc, text);
  writeEventFiles(doc, text, blocks);
  return blocks.flatMap((block, index) => {
    if (block.lang !== 'bash') return [];
    const lines = block.code.split('\n');
    return lines.flatMap((line, offset): InvokeCommand[] => {
      const match = COMMAND.exec(line.trim());
      // Only a whole command on one line, without pipes, redirections or a container to reach.
      if (!match || /[|<>$\\]|--url/.test(match[1]!)) return [];
      const argv = match[1]!.split(/\s+/);
      const shownEntry = argv[1]!;
      const pageEntry = argv[1]!.startsWith('dist/src/');
      if (pageEntry) argv[1] = argv[1]!.slice('dist/'.length);
      const cwd = pageEntry ? compiledPageDir(doc) : REPOSITORY;
      if (!existsSync(join(cwd, argv[1]!))) return [];
      const next = blocks[index + 1];
      const printed = argv[0] === 'inspect' ? textOf(next) : jsonOf(next);
      const exitCode = block.directive?.exitCode ?? 0;
      return [{ where: `${doc}:${block.line + offset}`, argv, cwd, printed, exitCode, shownEntry }];
    });
  });
}

describe("the guide's fc-kernel invoke and inspect commands", () => {
  docsProject();
  const commands = documentationFiles().flatMap(commandsOf);

  it('are found', () => {
    expect(commands).to.have.length.greaterThan(0);
  });

  for (const command of commands) {
    it(`${command.where} exits ${command.exitCode}${command.printed === undefined ? '' : ', printing what the guide shows'}`, async () => {
      const run = await cli(command.argv, { cwd: command.cwd });
      expect(run.code, run.stderr).to.equal(command.exitCode);
      if (typeof command.printed === 'string' && command.argv[0] === 'inspect') {
        expect(run.stdout.trimEnd().replaceAll(command.argv[1]!, command.shownEntry)).to.equal(command.printed);
      } else if (command.printed !== undefined) {
        expect(JSON.parse(run.stdout)).to.deep.equal(command.printed);
      }
    });
  }
});
