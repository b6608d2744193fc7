import type { ResolvedValidationOptions } from '../options';
import { awaitCheck, failCheck, isPromise, rejectKey, runChecks, validateNested } from './runValidation';
import type { ClassPlan, ConstraintCheck, GeneratedValidation, PropertyPlan } from './validationPlan';

const HELPERS = { awaitCheck, failCheck, isPromise, rejectKey, runChecks, validateNested, hasOwn: Object.hasOwn };

/**
 * A function doing what `validateObject` does with `plan`, written out at boot: the options
 * decided, the property reads and constraint calls inlined, class-validator's arguments built as
 * it builds them. The valid path calls each constraint once and makes nothing else; an error
 * entry and its message are made by the same helpers the interpreter uses, only when a
 * constraint fails. Answers why not when the plan cannot be written out (the plan then runs
 * interpreted).
 */
export function generateValidation(
  plan: ClassPlan,
  options: ResolvedValidationOptions,
): GeneratedValidation | { reason: string } {
  if (plan.unknown) return { reason: 'it has no validation metadata' };
  const source = new ValidationSource(plan, options);
  try {
    return source.compile();
  } catch (error) {
    // Code generation refused (`--disallow-code-generation-from-strings`, a CSP-like policy).
    return { reason: `code cannot be generated here: ${error instanceof Error ? error.message : String(error)}` };
  }
}

/** The source text of one class's validation, and the values it refers to. */
class ValidationSource {
  private readonly constants: unknown[] = [];
  private readonly lines: string[] = [];

  constructor(
    private readonly plan: ClassPlan,
    private readonly options: ResolvedValidationOptions,
  ) {}

  compile(): GeneratedValidation {
    const body = this.body();
    const names = this.constants.map((_, i) => `const k${i} = constants[${i}];`).join('\n');
    const source = `"use strict";
const { awaitCheck, failCheck, isPromise, rejectKey, runChecks, validateNested, hasOwn } = helpers;
${names}
return function validate(run, object) {
  let value, error, valid, canValidate, instance;
${body}
};`;
    // eslint-disable-next-line @typescript-eslint/no-implied-eval -- the source holds JSON-quoted property names and constant indices, never event data
    const factory = new Function('helpers', 'constants', source) as (
      helpers: typeof HELPERS,
      constants: unknown[],
    ) => GeneratedValidation;
    return factory(HELPERS, this.constants);
  }

  private constant(value: unknown): string {
    const index = this.constants.indexOf(value);
    if (index !== -1) return `k${index}`;
    this.constants.push(value);
    return `k${this.constants.length - 1}`;
  }

  private body(): string {
    if (this.options.whitelist) this.whitelist();
    for (const property of this.plan.properties) this.property(property);
    return this.lines.join('\n');
  }

  /** `applyWhitelist`: a key of a property is let through without a lookup. */
  private whitelist(): void {
    const grouped = this.constant(this.plan.grouped);
    const cases = this.plan.properties.map((p) => `case ${JSON.stringify(p.name)}:`).join(' ');
    this.lines.push(`for (const key in object) {`);
    if (this.plan.inheritsEnumerable) this.lines.push(`  if (!hasOwn(object, key)) continue;`);
    if (cases) this.lines.push(`  switch (key) { ${cases} continue; }`);
    this.lines.push(`  const metadatas = ${grouped}[key];`);
    this.lines.push(`  if (metadatas && metadatas.length !== 0) continue;`);
    this.lines.push(`  rejectKey(run, object, key);`);
    this.lines.push(`}`);
  }

  /** `performValidations` for one property of the class. */
  private property(property: PropertyPlan): void {
    const name = JSON.stringify(property.name);
    this.lines.push(`value = object[${name}];`, `error = null;`);
    let close = '';
    if (property.conditions !== null) {
      // class-validator evaluates every condition, then requires all of them.
      this.lines.push(`canValidate = true;`);
      for (const condition of property.conditions) {
        this.lines.push(
          `valid = ${this.constant(condition)}.constraints[0](object, value);`,
          `canValidate = canValidate && Boolean(valid);`,
        );
      }
      this.lines.push(`if (canValidate) {`);
      close += '}';
    }
    for (const check of property.defined) this.check(check, name);
    if (this.options.skipMissingProperties) {
      this.lines.push(`if (value !== null && value !== undefined) {`);
      close += '}';
    }
    for (const check of property.customs) this.check(check, name);
    if (property.nested.length !== 0) {
      this.lines.push(`validateNested(run, value, ${name}, ${this.constant(property)}, error);`);
    }
    if (close) this.lines.push(close);
  }

  /** `runChecks` for one decorator; one with `each` runs interpreted. */
  private check(check: ConstraintCheck, name: string): void {
    const metadata = this.constant(check.metadata);
    if (check.metadata.each) {
      const owner = this.constant(this.plan);
      this.lines.push(`error = runChecks(run, object, value, ${name}, ${this.constant([check])}, error, ${owner});`);
      return;
    }
    this.lines.push(`if (!${metadata}.validateIf || ${metadata}.validateIf(object, value)) {`);
    for (const constraint of check.constraints) {
      const resolved = this.constant(constraint);
      if (this.options.stopAtFirstError) {
        this.lines.push(`if (error === null || Object.keys(error.constraints).length === 0) {`);
      }
      // The container's instance, read on each use when it answers a new one each time.
      const instance =
        constraint.instance !== undefined ? this.constant(constraint.instance) : `${resolved}.metadata.instance`;
      this.lines.push(
        `instance = ${instance};`,
        `valid = instance.validate(value, { targetName: ${this.constant(this.plan.targetName)}, property: ${metadata}.propertyName, object, value, constraints: ${metadata}.constraints });`,
        `if (valid !== true) {`,
        `  if (isPromise(valid)) error = awaitCheck(run, error, ${name}, ${resolved}, object, value, ${metadata}, instance, valid);`,
        `  else if (!valid) error = failCheck(run, error, ${name}, ${resolved}, object, value, ${metadata}, instance);`,
        `}`,
      );
      if (this.options.stopAtFirstError) this.lines.push('}');
    }
    this.lines.push('}');
  }
}
