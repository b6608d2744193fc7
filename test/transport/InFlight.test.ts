import { expect } from 'chai';
import fc from 'fast-check';
import { InFlight, selfLinks, type InFlightLinks } from '../../src/transport/InFlight';

interface Entry extends InFlightLinks<Entry> {
  id: number;
  /** Its place in a second list. */
  other: InFlightLinks<Entry>;
}

const unlinked = () => ({ previous: undefined, next: undefined, listed: false });
const entry = (id: number): Entry => ({ id, ...unlinked(), other: unlinked() });
const otherLinks = (e: Entry) => e.other;

describe('InFlight', () => {
  it('keeps entries in the order they came, counts them, and forgets removed ones entirely', () => {
    const list = new InFlight<Entry>(selfLinks);
    const [a, b, c] = [entry(1), entry(2), entry(3)];
    list.add(a);
    list.add(b);
    list.add(c);
    list.add(b);
    expect(list.size).to.equal(3);
    expect(list.toArray().map((e) => e.id)).to.deep.equal([1, 2, 3]);
    expect(list.delete(b)).to.equal(true);
    expect(list.delete(b)).to.equal(false);
    expect(b).to.include({ previous: undefined, next: undefined, listed: false });
    expect(list.toArray().map((e) => e.id)).to.deep.equal([1, 3]);
    expect(list.delete(a)).to.equal(true);
    expect(list.delete(c)).to.equal(true);
    expect(list.size).to.equal(0);
    expect(list.toArray()).to.deep.equal([]);
  });

  it('holds exactly what a Set would, in the same order, under any adds and removes', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 9 })), { maxLength: 200 }), (steps) => {
        const entries = Array.from({ length: 10 }, (_, i) => entry(i));
        const list = new InFlight<Entry>(selfLinks);
        const model = new Set<Entry>();
        for (const [adding, i] of steps) {
          if (adding) {
            list.add(entries[i]);
            model.add(entries[i]);
          } else {
            expect(list.delete(entries[i])).to.equal(model.delete(entries[i]));
          }
          expect(list.size).to.equal(model.size);
        }
        expect(list.toArray()).to.deep.equal([...model]);
      }),
    );
  });

  it('keeps two lists through the same entries, each as a Set would, neither touching the other', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.boolean(), fc.boolean(), fc.integer({ min: 0, max: 9 })), { maxLength: 200 }),
        (steps) => {
          const entries = Array.from({ length: 10 }, (_, i) => entry(i));
          const lists = [new InFlight<Entry>(selfLinks), new InFlight<Entry>(otherLinks)];
          const models = [new Set<Entry>(), new Set<Entry>()];
          for (const [second, adding, i] of steps) {
            const [list, model] = [lists[Number(second)], models[Number(second)]];
            if (adding) {
              list.add(entries[i]);
              model.add(entries[i]);
            } else {
              expect(list.delete(entries[i])).to.equal(model.delete(entries[i]));
            }
          }
          for (const n of [0, 1]) {
            expect(lists[n].size).to.equal(models[n].size);
            expect(lists[n].toArray()).to.deep.equal([...models[n]]);
          }
        },
      ),
    );
  });
});
