import { expect } from 'chai';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createKernel, type Constructor } from '../../src';
import { Hello } from '../../samples/hello/Hello';
import { CreateOrderFunction } from '../../samples/order-service/CreateOrderFunction';
import {
  containerProblems,
  FC3_SCHEMA_PATH,
  fc3ResourceProblems,
  hookProblems,
  readDockerfile,
  readSYaml,
  validateFc3Props,
} from '../helpers/fc3Deployment';
import { invokeRequest, PROJECT_ROOT } from './helpers';

const SHARED_SCHEMA_PATH = join(PROJECT_ROOT, '../shared/fc3/props.schema.json');
const SAMPLES_DIR = join(PROJECT_ROOT, 'samples');

/** The function classes each sample's main.ts serves. */
const SAMPLE_FUNCTIONS: Record<string, Constructor[]> = {
  'order-service': [CreateOrderFunction],
  hello: [Hello],
};

const sampleNames = readdirSync(SAMPLES_DIR, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();

const sYamlOf = (sample: string) => readSYaml(join(SAMPLES_DIR, sample, 's.yaml'));
const dockerfileOf = (sample: string) => readDockerfile(join(SAMPLES_DIR, sample, 'Dockerfile'));

describe('samples deployment files', () => {
  it('finds every sample directory in the table of their functions', () => {
    expect(sampleNames).to.deep.equal(Object.keys(SAMPLE_FUNCTIONS).sort());
  });

  it('vendors the fc3 schema unchanged', function () {
    if (!existsSync(SHARED_SCHEMA_PATH)) this.skip();
    expect(readFileSync(FC3_SCHEMA_PATH, 'utf8')).to.equal(readFileSync(SHARED_SCHEMA_PATH, 'utf8'));
  });

  it('the schema rejects a custom container without customContainerConfig', () => {
    expect(validateFc3Props({ region: 'cn-hangzhou', functionName: 'f', runtime: 'custom-container' }).valid).to.equal(
      false,
    );
    expect(validateFc3Props({ region: 'nowhere', functionName: 'f', runtime: 'custom-container' }).valid).to.equal(
      false,
    );
  });

  it('the checks find a resource that is not fc3, an unknown key and an unresolved variable', () => {
    const props = { region: 'cn-hangzhou', functionName: 'f', runtime: 'custom-container', customContainerConfig: {} };
    const problems = fc3ResourceProblems({
      edition: '3.0.0',
      resources: { f: { component: 'fc', props: { ...props, initializer: {}, description: '${vars.nope}' } } },
    });
    expect(problems).to.have.length(3);
    expect(problems[0]).to.include('not fc3');
    expect(problems[1]).to.include('initializer');
    expect(problems[2]).to.include('unresolved');
  });

  for (const sample of sampleNames) {
    describe(`samples/${sample}`, () => {
      it('has a README.md, a Dockerfile and an s.yaml', () => {
        for (const file of ['README.md', 'Dockerfile', 's.yaml', 'main.ts']) {
          expect(existsSync(join(SAMPLES_DIR, sample, file)), file).to.equal(true);
        }
      });

      it('s.yaml parses and every resource is an fc3 resource whose props fit the schema', () => {
        const sYaml = sYamlOf(sample);
        expect(sYaml.edition).to.equal('3.0.0');
        expect(Object.keys(sYaml.resources).length).to.be.greaterThan(0);
        expect(fc3ResourceProblems(sYaml)).to.deep.equal([]);
      });

      it('deploys a custom container on the port its Dockerfile exposes', () => {
        expect(containerProblems(sYamlOf(sample), dockerfileOf(sample))).to.deep.equal([]);
      });

      it("the Dockerfile builds on node:20-slim and runs fc-kernel build's bundle of the sample's entry", () => {
        const dockerfile = dockerfileOf(sample);
        expect(dockerfile.from).to.have.length.of.at.least(2);
        for (const image of dockerfile.from) expect(image).to.equal('node:20-slim');
        const entry = `dist/samples/${sample}/index.js`;
        expect(dockerfile.lines).to.include(`RUN node dist/src/cli/main.js build ${entry} --out dist-bundle`);
        expect(dockerfile.cmd).to.deep.equal(['node', 'index.js']);
        expect(existsSync(join(PROJECT_ROOT, entry)), `${entry} after npm run build`).to.equal(true);
      });

      it('names the functions it serves, and configures FC to call the hooks they declare', async () => {
        expect(await hookProblems(sYamlOf(sample), SAMPLE_FUNCTIONS[sample]!)).to.deep.equal([]);
      });
    });
  }

  describe('samples/hello/s.custom-runtime.yaml', () => {
    const file = join(SAMPLES_DIR, 'hello', 's.custom-runtime.yaml');

    it('deploys the code package fc-kernel build writes, on custom.debian12, with props that fit the schema', () => {
      const sYaml = readSYaml(file);
      expect(sYaml.edition).to.equal('3.0.0');
      expect(fc3ResourceProblems(sYaml)).to.deep.equal([]);
      const resources = Object.values(sYaml.resources);
      expect(resources).to.have.length(1);
      const { props } = resources[0]!;
      expect(props.runtime).to.equal('custom.debian12');
      // The command in the file's comment writes the directory the resource deploys.
      const out = / build dist\/samples\/hello\/index\.js --target custom-runtime --out (\S+)\n/.exec(
        readFileSync(file, 'utf8'),
      )?.[1];
      expect(out, 'the build command').to.be.a('string');
      expect(join(SAMPLES_DIR, 'hello', props.code as string)).to.equal(join(PROJECT_ROOT, out!));
      // FC mounts the package at /code and starts the bootstrap there; 9000 is what it listens on.
      expect(props.customRuntimeConfig).to.deep.equal({ command: ['/code/bootstrap'], port: 9000 });
    });
  });

  it('samples/order-service/event.json is an order the function accepts', async () => {
    const event: unknown = JSON.parse(readFileSync(join(SAMPLES_DIR, 'order-service/event.json'), 'utf8'));
    const kernel = createKernel({ functions: [CreateOrderFunction], logSink: () => undefined });
    try {
      const res = await kernel.dispatch(invokeRequest(event));
      expect(res.statusCode, String(res.body)).to.equal(200);
      expect(JSON.parse(String(res.body))).to.include({ orderId: 'A-1001', status: 'ACCEPTED' });
    } finally {
      await kernel.close();
    }
  });
});
