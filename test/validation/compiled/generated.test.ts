import { expect } from 'chai';
import fc from 'fast-check';
import { compileBoth, differenceOn } from './differential';
import { asDecodedJson, classArb, eventArb, materialize, optionsArbitrary } from './generatedDtos';
import { MetadataSandbox } from './metadataSandbox';

describe('compiled engine against class-validator, on generated DTOs', () => {
  const sandbox = new MetadataSandbox();
  after(() => sandbox.forget());

  it('gives the same instances and the same field errors for every generated shape, setting and event', async () => {
    const reasons: string[] = [];
    const seen = { instance: 0, invalid: 0, thrown: 0, boot: 0, compiled: 0, fallback: 0 };
    const scenario = classArb(2).chain((spec) =>
      fc.record({
        spec: fc.constant(spec),
        options: optionsArbitrary,
        events: fc.array(eventArb(spec), { minLength: 1, maxLength: 6 }),
      }),
    );
    await fc.assert(
      fc.asyncProperty(scenario, async ({ spec, options, events }) => {
        const dto = materialize(spec, sandbox);
        const pair = compileBoth(dto, options);
        if (typeof pair.compiled === 'function') {
          const engine = (pair.compiled as unknown as { describe(): { engine: string } }).describe().engine;
          seen[engine === 'compiled' ? 'compiled' : 'fallback']++;
          if (process.env.FC_DEBUG && engine !== 'compiled') reasons.push((pair.compiled as any).describe().reason);
        }
        for (const event of events) {
          const { difference, reference, compiled } = await differenceOn(pair, asDecodedJson(event));
          seen[reference.kind]++;
          if (process.env.FC_DEBUG && (reference.kind === 'thrown' || reference.kind === 'boot'))
            reasons.push(reference.kind + ': ' + reference.message);
          if (difference !== undefined) {
            throw new Error(
              `differ at ${difference}\nevent: ${asDecodedJson(event)}\nreference: ${JSON.stringify(reference)}\ncompiled: ${JSON.stringify(compiled)}`,
            );
          }
        }
        sandbox.forget();
      }),
      { numRuns: Number(process.env.FC_RUNS ?? 250) },
    );
    if (process.env.FC_RUNS) console.log(seen);
    if (process.env.FC_DEBUG) {
      const c: Record<string, number> = {};
      for (const r of reasons) {
        const k = r.replace(/Generated\d+/g, 'G');
        c[k] = (c[k] ?? 0) + 1;
      }
      console.log(
        Object.entries(c)
          .sort((a, b) => b[1] - a[1])
          .slice(0, 30),
      );
    }
    // The generator must reach both sides of the engines, or the property proves little.
    expect(seen.instance, JSON.stringify(seen)).to.be.greaterThan(50);
    expect(seen.invalid, JSON.stringify(seen)).to.be.greaterThan(200);
    expect(seen.compiled, JSON.stringify(seen)).to.be.greaterThan(seen.fallback);
  });
});
