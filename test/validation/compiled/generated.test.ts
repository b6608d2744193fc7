import { expect } from 'chai';
import fc from 'fast-check';
import type { EngineDecision } from '../../../src/validation/compiled';
import { assertSameOutcomeOn, compileBoth } from './differential';
import { addLateMetadata, asDecodedJson, classArb, eventArb, materialize, optionsArbitrary } from './generatedDtos';
import { MetadataSandbox } from './metadataSandbox';

// FC_RUNS=n runs a longer search and prints what it reached; FC_SEED and FC_PATH replay a
// reported counterexample.
const runs = Number(process.env.FC_RUNS ?? 250);
const replay = process.env.FC_PATH !== undefined;

describe('compiled engine against class-validator, on generated DTOs', () => {
  const sandbox = new MetadataSandbox();
  after(() => sandbox.forget());

  it('gives the same instances and the same field errors for every generated shape, setting and event', async function () {
    // A few seconds on a quiet machine; the bound is for a busy one.
    this.timeout(120_000);
    const seen = { instance: 0, invalid: 0, thrown: 0, boot: 0, compiled: 0, fallback: 0 };
    const reasons = new Map<string, number>();
    const count = (reason: string) => {
      const key = reason.replace(/Generated\d+/g, 'Generated');
      reasons.set(key, (reasons.get(key) ?? 0) + 1);
    };
    const scenario = classArb(2).chain((spec) =>
      fc.record({
        spec: fc.constant(spec),
        options: optionsArbitrary,
        events: fc.array(eventArb(spec), { minLength: 1, maxLength: 6 }),
        // A decorator recorded after both engines were compiled.
        late: fc.nat({ max: 11 }).map((n) => (n < 3 ? n + 1 : 0)),
      }),
    );
    await fc.assert(
      fc.asyncProperty(scenario, async ({ spec, options, events, late }) => {
        const dto = materialize(spec, sandbox);
        const pair = compileBoth(dto, options);
        addLateMetadata(dto, spec, late);
        if (typeof pair.compiled === 'function') {
          const decision = (pair.compiled as unknown as { describe(): EngineDecision }).describe();
          seen[decision.engine === 'compiled' ? 'compiled' : 'fallback']++;
          if (decision.engine !== 'compiled') count(decision.reason);
        }
        for (const event of events) {
          const reference = await assertSameOutcomeOn(pair, asDecodedJson(event));
          seen[reference.kind]++;
          if (reference.kind === 'thrown' || reference.kind === 'boot')
            count(`${reference.kind}: ${reference.message}`);
        }
        sandbox.forget();
      }),
      {
        numRuns: runs,
        seed: process.env.FC_SEED === undefined ? undefined : Number(process.env.FC_SEED),
        path: process.env.FC_PATH,
      },
    );
    if (process.env.FC_RUNS) console.log(seen, [...reasons].sort((a, b) => b[1] - a[1]).slice(0, 20));
    if (replay) return;
    // The generator must reach both sides of the engines, or the property proves little.
    expect(seen.instance, JSON.stringify(seen)).to.be.greaterThan(runs / 5);
    expect(seen.invalid, JSON.stringify(seen)).to.be.greaterThan(runs);
    expect(seen.compiled, JSON.stringify(seen)).to.be.greaterThan(seen.fallback * 4);
  });
});
