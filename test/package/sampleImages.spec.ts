import { expect } from 'chai';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SAMPLES_DIR, sampleNames, sampleProps } from '../samples/sampleFiles';
import { run } from './packing';
import { buildRuntimeStage } from './runtimeStage';

const eventOf = (sample: string) => readFileSync(join(SAMPLES_DIR, sample, 'event.json'), 'utf8');

/** The environment FC gives the sample's function: its s.yaml's `environmentVariables`. */
const environmentOf = (sample: string) =>
  Object.assign({}, ...sampleProps(sample).map((props) => props.environmentVariables));

/** An event each sample answers, and what its answer contains. */
const SAMPLES: Record<string, { event: string; answer: string }> = {
  hello: { event: 'image', answer: 'Hello, image!' },
  'order-service': { event: eventOf('order-service'), answer: '"status":"ACCEPTED"' },
  'oss-image-audit': { event: eventOf('oss-image-audit'), answer: '"type":"image/jpeg"' },
  'timer-report': { event: eventOf('timer-report'), answer: '"revenue":193.06' },
  'kafka-ingest': { event: eventOf('kafka-ingest'), answer: '"stored":2' },
};

describe("the samples' images: both stages, built without Docker", () => {
  let work: string;
  before(() => (work = mkdtempSync(join(tmpdir(), 'fc-kernel-images-'))));
  after(() => rmSync(work, { recursive: true, force: true }));

  it('covers every sample', () => {
    expect(Object.keys(SAMPLES).sort()).to.deep.equal(sampleNames());
  });

  for (const [sample, { event, answer }] of Object.entries(SAMPLES)) {
    it(`${sample}: the runtime stage holds the bundle alone, which runs the sample`, async () => {
      const stage = await buildRuntimeStage(join(SAMPLES_DIR, sample, 'Dockerfile'), join(work, sample));
      // No node_modules at all: no dependency, tool or TypeScript reaches the image.
      expect(readdirSync(stage.dir).sort()).to.deep.equal([
        'bundle.cache',
        'bundle.cache.json',
        'bundle.js',
        'bundle.js.map',
        'index.js',
        'package.json',
      ]);
      expect(existsSync(join(stage.dir, 'node_modules'))).to.equal(false);
      const [command, ...args] = stage.cmd;
      expect(command).to.equal('node');
      // Non-web-server mode: one event, then exit, which needs every module the server loads.
      const ran = await run(process.execPath, args, stage.dir, {
        ...environmentOf(sample),
        ...stage.env,
        FC_CUSTOM_CONTAINER_EVENT: event,
      });
      expect(ran.code, ran.stderr).to.equal(0);
      expect(ran.stdout).to.include(answer);
    });
  }
});
