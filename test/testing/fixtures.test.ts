import { expect } from 'chai';
import { Event, FcFunction, OnInvoke } from '../../src';
import * as events from '../../src/events';
import { OssEvent } from '../../src/events';
import * as testing from '../../src/testing';

@FcFunction({ name: 'keys-of-uploads' })
class KeysOfUploads {
  @OnInvoke() handle(@Event() event: OssEvent): string[] {
    return event.events.map((record) => record.oss.object.key);
  }
}

describe('fc-kernel/testing: fixtures', () => {
  it('are the builders of fc-kernel/events, exported from the kit', () => {
    expect(testing.fixtures).to.be.an('object').that.equals(events.fixtures);
  });

  it("build a payload the kit's kernel takes as its event class", async () => {
    const tk = testing.createTestKernel(KeysOfUploads);
    try {
      const res = await tk.invoke<string[]>(testing.fixtures.oss([{ key: 'uploads/a.png' }, { key: 'uploads/b.jpg' }]));
      expect(res.ok, JSON.stringify(res.error)).to.equal(true);
      expect(res.body).to.deep.equal(['uploads/a.png', 'uploads/b.jpg']);
    } finally {
      await tk.close();
    }
  });
});
