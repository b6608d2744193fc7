// A page that walks through the project `fc-kernel init` writes (a `docs-test {"init": "name"}`
// directive) shows its files as they are: a block naming one of them (`file=s.yaml`) must be
// that file, in any language, so that the guide changes when the template does.
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { templateFiles } from '../../src/cli/init/templateFiles';
import { documentationFiles, REPOSITORY } from './docsProject';
import { codeBlocks, pageDirectives } from './markdown';

function normalized(text: string): string {
  return text
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n')
    .trim();
}

const pages = documentationFiles().flatMap((doc) => {
  const text = readFileSync(join(REPOSITORY, doc), 'utf8');
  const init = pageDirectives(doc, text).at(-1)?.init;
  return init === undefined ? [] : [{ doc, init, blocks: codeBlocks(doc, text) }];
});

describe("the guide's copies of fc-kernel init's project", () => {
  it('are found', () => {
    expect(pages).to.have.length.greaterThan(0);
  });

  for (const { doc, init, blocks } of pages) {
    const files = new Map(templateFiles(init).map((file) => [file.path, file.content]));
    for (const block of blocks) {
      const path = block.attributes.file;
      if (path === undefined || !files.has(path)) continue;
      it(`${doc}:${block.line} shows ${path} as fc-kernel init ${init} writes it`, () => {
        expect(normalized(block.code)).to.equal(normalized(files.get(path)!));
      });
    }
  }
});
