import { expect } from 'chai';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { metadataStore } from '../../src';
import { loadEntry } from '../../src/cli/loadEntry';
import { killChildren, startCompiled } from '../e2e/helpers';
import { PROJECT_ROOT } from './helpers';

const samples = readdirSync(join(PROJECT_ROOT, 'samples'), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name);

describe('every sample has an entry: index.js exports its functions, main.js serves them', () => {
  afterEach(killChildren);

  for (const sample of samples) {
    it(`samples/${sample}/index exports @FcFunction classes`, () => {
      const entry = loadEntry(`dist/samples/${sample}/index.js`, PROJECT_ROOT);
      expect(entry.functions.length).to.be.greaterThan(0);
      for (const fn of entry.functions) expect(metadataStore.functionOf(fn), fn.name).to.not.equal(undefined);
    });

    it(`samples/${sample}/index starts no server when loaded`, async () => {
      // The preload prints "listening on ..." for any server the module starts.
      const child = startCompiled(`samples/${sample}/index.js`, { FC_CUSTOM_LISTEN_PORT: '0' });
      expect(await child.exited).to.deep.equal({ code: 0, signal: null });
      expect(child.stdout).to.equal('');
      expect(child.stderr).to.equal('');
    });
  }
});
