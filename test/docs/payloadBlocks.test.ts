// A payload the guide shows as what a trigger sends (a ```json block with `event=OssEvent`) must
// be one its class accepts: the reader copies it into a file and invokes the function with it.
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FcFunction, OnInvoke, type Constructor } from '../../src';
import * as events from '../../src/events';
import { createTestKernel } from '../../src/testing';
import { documentationFiles, REPOSITORY } from './docsProject';
import { codeBlocks } from './markdown';

const blocks = documentationFiles().flatMap((doc) =>
  codeBlocks(doc, readFileSync(join(REPOSITORY, doc), 'utf8')).filter(
    (b) => b.lang === 'json' && b.attributes.event !== undefined,
  ),
);

/** A function whose event is `type`, answering what it received. */
function receiverOf(type: Constructor): Constructor {
  @FcFunction({ name: 'receiver' })
  class Receiver {
    @OnInvoke({ event: type })
    receive(event: unknown): unknown {
      return event;
    }
  }
  return Receiver;
}

describe("the guide's trigger payloads", () => {
  it('are found', () => {
    expect(blocks).to.have.length.greaterThan(0);
  });

  for (const block of blocks) {
    const name = block.attributes.event!;
    it(`${block.doc}:${block.line} is accepted by ${name}`, async () => {
      const type = (events as unknown as Record<string, Constructor>)[name];
      expect(type, `fc-kernel/events exports ${name}`).to.be.a('function');
      const tk = createTestKernel(receiverOf(type!));
      try {
        const res = await tk.invoke(block.code);
        expect(res.ok, JSON.stringify(res.error)).to.equal(true);
      } finally {
        await tk.close();
      }
    });
  }
});
