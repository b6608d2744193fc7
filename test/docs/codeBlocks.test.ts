// Every TypeScript block of the README and of docs/ is compiled, so that the guide cannot drift
// from the API: each page is a project of its own, its blocks its files, type-checked in one run
// of the repository's tsc. Blocks named `*.test.ts` are then run as tests, and a block with an
// `event` directive is run as FC runs a container in non-web-server mode.
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { docsProject, REPOSITORY, type PlacedBlock } from './docsProject';

// Compiled while mocha loads the suites: the tests the pages show are registered from the output.
const project = docsProject();

describe("the guide's TypeScript blocks", () => {
  it('are found in the README and in docs/', () => {
    const compiled = project.pages.flatMap((page) => page.blocks);
    expect(compiled.filter((p) => p.block.doc === 'README.md')).to.have.length.greaterThan(0);
    expect(compiled.filter((p) => p.block.doc.startsWith('docs/'))).to.have.length.greaterThan(0);
  });

  it('leave nothing to tsc outside the pages', () => {
    expect(project.otherErrors).to.deep.equal([]);
  });

  for (const page of project.pages) {
    describe(page.doc, () => {
      if (page.supportErrors.length > 0) {
        it('builds on modules that compile', () => {
          expect(page.supportErrors).to.deep.equal([]);
        });
      }
      for (const placed of page.blocks) describeBlock(placed);
    });
  }
});

function describeBlock(placed: PlacedBlock): void {
  const where = `${placed.block.doc}:${placed.block.line}`;
  it(`${where} compiles (${placed.path})`, () => {
    expect(placed.errors, placed.errors.join('\n')).to.deep.equal([]);
  });
  if (placed.testFile !== undefined && placed.errors.length === 0) {
    describe(`${where} (${placed.path}) passes`, () => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      require(placed.testFile!);
    });
  }
  const directive = placed.block.directive;
  if (directive?.event !== undefined) {
    it(`${where} answers its event in non-web-server mode`, async () => {
      const run = await runWithEvent(placed.jsFile, directive.event);
      expect(run.code, run.stderr).to.equal(0);
      const lastLine = run.stdout.trimEnd().split('\n').at(-1)!;
      if (directive.answer !== undefined) expect(JSON.parse(lastLine)).to.deep.equal(directive.answer);
    });
  }
}

function runWithEvent(file: string, event: unknown): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [file], {
      cwd: REPOSITORY,
      env: { PATH: process.env.PATH, FC_CUSTOM_CONTAINER_EVENT: JSON.stringify(event) },
      timeout: 15_000,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
