// A link between the repository's Markdown files must lead somewhere: to a file that exists and,
// with a #fragment, to a heading of it. The README's anchors are linked from the samples, the
// guide's from each other; moving a section must update its links.
import { expect } from 'chai';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { REPOSITORY } from './docsProject';
import { anchors, links } from './markdown';

const SKIPPED = new Set(['node_modules', 'dist', 'coverage', '.git']);

function markdownFiles(dir = REPOSITORY): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (SKIPPED.has(entry.name)) return [];
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return markdownFiles(path);
    return entry.name.endsWith('.md') ? [path] : [];
  });
}

const anchorCache = new Map<string, Set<string>>();
function anchorsOf(file: string): Set<string> {
  let found = anchorCache.get(file);
  if (!found) {
    found = anchors(readFileSync(file, 'utf8'));
    anchorCache.set(file, found);
  }
  return found;
}

/** What is wrong with a link from `file`, or undefined when it leads somewhere. */
function problemOf(file: string, target: string): string | undefined {
  if (/^[a-z][a-z+.-]*:/i.test(target)) return undefined; // https:, mailto:
  const [path = '', fragment] = target.split('#', 2) as [string, string | undefined];
  const destination = path === '' ? file : resolve(dirname(file), decodeURIComponent(path));
  if (!existsSync(destination)) return `${target}: no such file`;
  if (fragment === undefined || fragment === '') return undefined;
  if (statSync(destination).isDirectory() || !destination.endsWith('.md')) return undefined;
  return anchorsOf(destination).has(decodeURIComponent(fragment)) ? undefined : `${target}: no such heading`;
}

describe("the repository's Markdown links", () => {
  const files = markdownFiles();

  it('include the README and the guide', () => {
    const names = files.map((file) => relative(REPOSITORY, file).split('\\').join('/'));
    expect(names).to.include('README.md');
    expect(names).to.include('docs/README.md');
  });

  for (const file of files) {
    const name = relative(REPOSITORY, file).split('\\').join('/');
    it(`${name}: every relative link leads to a file and heading that exist`, () => {
      const problems = links(readFileSync(file, 'utf8')).flatMap((link) => {
        const problem = problemOf(file, link.target);
        return problem === undefined ? [] : [`${name}:${link.line}: ${problem}`];
      });
      expect(problems).to.deep.equal([]);
    });
  }
});
