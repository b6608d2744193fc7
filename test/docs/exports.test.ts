// The guide's reference is complete: every value the entry points export is named in the
// code of the page that documents that entry point, so a new export cannot ship undocumented.
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as kernel from '../../src';
import * as events from '../../src/events';
import * as idempotency from '../../src/idempotency';
import * as batch from '../../src/batch';
import * as testing from '../../src/testing';
import { REPOSITORY } from './docsProject';

const ENTRY_POINTS: [string, object, string][] = [
  ['fc-kernel', kernel, 'docs/reference.md'],
  ['fc-kernel/testing', testing, 'docs/testing.md'],
  ['fc-kernel/events', events, 'docs/trigger-events.md'],
  ['fc-kernel/idempotency', idempotency, 'docs/at-least-once.md'],
  ['fc-kernel/batch', batch, 'docs/batches.md'],
];

/** The code of `text`: its inline code spans and fenced blocks, where an API name is written. */
function codeOf(text: string): string {
  const fenced = text.match(/^(`{3,}|~{3,})[^\n]*\n[\s\S]*?^\1/gm) ?? [];
  const inline = text.replace(/^(`{3,}|~{3,})[^\n]*\n[\s\S]*?^\1/gm, '').match(/`[^`\n]+`/g) ?? [];
  return [...fenced, ...inline].join('\n');
}

function names(code: string, name: string): boolean {
  return new RegExp(`(?<![\\w$])${name}(?![\\w$])`).test(code);
}

describe("the guide's reference", () => {
  for (const [entry, exports, doc] of ENTRY_POINTS) {
    it(`${doc} names every export of ${entry}`, () => {
      const code = codeOf(readFileSync(join(REPOSITORY, doc), 'utf8'));
      const missing = Object.keys(exports).filter((name) => !names(code, name));
      expect(missing).to.deep.equal([]);
    });
  }
});
