import { expect } from 'chai';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT, run } from './packing';
import { buildRuntimeStage } from './runtimeStage';

/** An event each sample answers, and what its answer contains. */
const SAMPLES: Record<string, { event: string; answer: string }> = {
  hello: { event: 'image', answer: 'Hello, image!' },
  'order-service': {
    event: readFileSync(join(PROJECT_ROOT, 'samples/order-service/event.json'), 'utf8'),
    answer: '"status":"ACCEPTED"',
  },
};

describe("the samples' images: the runtime stage, built without Docker", () => {
  let work: string;
  before(() => (work = mkdtempSync(join(tmpdir(), 'fc-kernel-images-'))));
  after(() => rmSync(work, { recursive: true, force: true }));

  for (const [sample, { event, answer }] of Object.entries(SAMPLES)) {
    it(`${sample}: installs the production dependencies only, and they run the sample`, async () => {
      const image = join(work, sample);
      const stage = await buildRuntimeStage(join(PROJECT_ROOT, 'samples', sample, 'Dockerfile'), image);
      for (const peer of ['reflect-metadata', 'tsyringe', 'class-validator', 'class-transformer']) {
        expect(existsSync(join(image, 'node_modules', peer)), peer).to.equal(true);
      }
      for (const tool of ['mocha', 'chai', 'eslint', 'tsc7', 'typescript']) {
        expect(existsSync(join(image, 'node_modules', tool)), tool).to.equal(false);
      }
      const [command, ...args] = stage.cmd;
      expect(command).to.equal('node');
      // Non-web-server mode: one event, then exit, which needs every module the server loads.
      const ran = await run(process.execPath, args, image, { ...stage.env, FC_CUSTOM_CONTAINER_EVENT: event });
      expect(ran.code, ran.stderr).to.equal(0);
      expect(ran.stdout).to.include(answer);
    });
  }
});
