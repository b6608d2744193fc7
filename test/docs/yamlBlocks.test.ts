// The guide's YAML is what a user pastes into s.yaml: every block must parse, a whole s.yaml must
// be one fc3 deploys, and a piece of one (a function's triggers, its customContainerConfig) must
// fit fc3's schema for a function's props; every trigger must have only FC 3.0's fields.
import { expect } from 'chai';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import {
  fc3ResourceProblems,
  fc3Schema,
  readSYaml,
  triggerProblems,
  validateFc3Props,
  type Props,
} from '../helpers/fc3Deployment';
import { documentationFiles, REPOSITORY } from './docsProject';
import { codeBlocks, type CodeBlock } from './markdown';

const OUT = join(REPOSITORY, 'dist/docs-blocks/yaml');

/** A function's props a piece is added to: the least fc3 takes for a custom container. */
const BASE_PROPS = {
  region: 'cn-hangzhou',
  functionName: 'docs-example',
  runtime: 'custom-container',
  customContainerConfig: { image: 'registry.cn-hangzhou.aliyuncs.com/my-namespace/docs-example:0.1.0', port: 9000 },
};

const blocks = documentationFiles().flatMap((doc) =>
  codeBlocks(doc, readFileSync(join(REPOSITORY, doc), 'utf8')).filter(
    (b) => (b.lang === 'yaml' || b.lang === 'yml') && !b.flags.has('fragment'),
  ),
);

describe("the guide's YAML blocks", () => {
  for (const block of blocks) {
    const where = `${block.doc}:${block.line}`;
    it(`${where} is ${kindOf(block)} fc3 accepts`, () => {
      const value = parse(block.code) as unknown;
      expect(value, 'a YAML mapping').to.be.an('object');
      if (kindOf(block) === 'an s.yaml') {
        mkdirSync(OUT, { recursive: true });
        const file = join(OUT, `${block.doc.split('/').join('-')}-${block.line}.yaml`);
        writeFileSync(file, block.code);
        const sYaml = readSYaml(file);
        expect(fc3ResourceProblems(sYaml)).to.deep.equal([]);
        expect(triggerProblems(sYaml)).to.deep.equal([]);
        return;
      }
      const known = Object.keys(fc3Schema().properties);
      expect(
        Object.keys(value as object).filter((key) => !known.includes(key)),
        'keys fc3 props do not have',
      ).to.deep.equal([]);
      const props = { ...BASE_PROPS, ...(value as object) } as Props;
      const { valid, errors } = validateFc3Props(props);
      expect(valid, JSON.stringify(errors, null, 2)).to.equal(true);
      expect(triggerProblems({ edition: '3.0.0', resources: { f: { component: 'fc3', props } } })).to.deep.equal([]);
    });
  }
});

function kindOf(block: CodeBlock): string {
  return /^edition:/m.test(block.code) ? 'an s.yaml' : "a piece of a function's props";
}
