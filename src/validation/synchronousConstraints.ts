import * as classValidator from 'class-validator';
import { getMetadataStorage, ValidationTypes } from 'class-validator';
import type { NestedGraph } from './nestedShapes';

/**
 * The names of class-validator's own constraints (`isString`, `min`, ...): it exports each as a
 * constant (`IS_STRING`, `MIN`, ...), and every one of them answers at once.
 */
let builtInNames: ReadonlySet<string> | undefined;

function classValidatorConstraintNames(): ReadonlySet<string> {
  builtInNames ??= new Set(Object.values(classValidator).filter((value): value is string => typeof value === 'string'));
  return builtInNames;
}

/**
 * Whether every constraint of every class in a DTO's nested graph answers at once, so that
 * `validateSync` gives the same verdict as `validate`. `validateSync` skips constraints declared
 * `async: true`, and a constraint that answers a promise without declaring it (which
 * class-validator allows, and `validate` awaits) would pass unchecked: so any constraint that is
 * not one of class-validator's own counts as possibly asynchronous, as does `@ValidatePromise`.
 */
export function validatesSynchronously(graph: NestedGraph): boolean {
  const storage = getMetadataStorage();
  const names = classValidatorConstraintNames();
  for (const cls of graph.keys()) {
    for (const metadata of storage.getTargetValidationMetadatas(cls, '', true, false)) {
      if (metadata.type === ValidationTypes.PROMISE_VALIDATION) return false;
      if (metadata.type !== ValidationTypes.CUSTOM_VALIDATION) continue;
      for (const constraint of storage.getTargetValidatorConstraints(metadata.constraintCls)) {
        if (constraint.async || constraint.name === undefined || !names.has(constraint.name)) return false;
      }
    }
  }
  return true;
}
