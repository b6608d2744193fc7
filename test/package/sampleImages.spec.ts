import { expect } from 'chai';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
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

describe("the samples' images: both stages, built without Docker", () => {
  let work: string;
  before(() => (work = mkdtempSync(join(tmpdir(), 'fc-kernel-images-'))));
  after(() => rmSync(work, { recursive: true, force: true }));

  for (const [sample, { event, answer }] of Object.entries(SAMPLES)) {
    it(`${sample}: the runtime stage holds the bundle alone, which runs the sample`, async () => {
      const stage = await buildRuntimeStage(join(PROJECT_ROOT, 'samples', sample, 'Dockerfile'), join(work, sample));
      // No node_modules at all: no dependency, tool or TypeScript reaches the image.
      expect(readdirSync(stage.dir).sort()).to.deep.equal([
        'bundle.cache',
        'bundle.js',
        'bundle.js.map',
        'index.js',
        'package.json',
      ]);
      expect(existsSync(join(stage.dir, 'node_modules'))).to.equal(false);
      const [command, ...args] = stage.cmd;
      expect(command).to.equal('node');
      // Non-web-server mode: one event, then exit, which needs every module the server loads.
      const ran = await run(process.execPath, args, stage.dir, { ...stage.env, FC_CUSTOM_CONTAINER_EVENT: event });
      expect(ran.code, ran.stderr).to.equal(0);
      expect(ran.stdout).to.include(answer);
    });
  }
});
