/*
 * Every use of class-validator's private state, in one place: its metadata records
 * (`ValidationMetadata`, `ConstraintMetadata`) are not on its public entry point, nor is the way
 * its store groups them and answers a constraint's instance, which the compiled engine plans
 * from; and the engines learn of a decorator recorded after boot by counting the store's writes.
 * `checkClassValidatorInternals` proves, when a kernel is created, that the store answers what a
 * public decorator recorded in the shape read here.
 */
import { getMetadataStorage, IsString, ValidationTypes, type ValidatorConstraintInterface } from 'class-validator';
import type { ConstraintMetadata } from 'class-validator/types/metadata/ConstraintMetadata';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata';
import { incompatibleDependency } from '../dependencies/installedPackage';
import { ConfigurationError } from '../errors/ConfigurationError';
import { countCalls, metadataChanges } from './metadataChanges';

export type { ConstraintMetadata, ValidationMetadata };

/** class-validator's `MetadataStorage`, as far as fc-kernel reads it. */
export interface ValidatorStorage {
  getTargetValidationMetadatas(
    target: unknown,
    schema: string | undefined,
    always: boolean,
    strictGroups: boolean,
    groups?: string[],
  ): ValidationMetadata[];
  groupByPropertyName(metadatas: ValidationMetadata[]): Record<string, ValidationMetadata[]>;
  getTargetValidatorConstraints(target: unknown): ConstraintMetadata[];
}

/** class-validator's global metadata store. */
export function validatorStorage(): ValidatorStorage {
  return getMetadataStorage();
}

/** Counts, from now on, every record class-validator's decorators write (see `metadataChanges`). */
export function watchValidatorMetadata(): void {
  const storage = getMetadataStorage();
  countCalls(storage, 'addValidationMetadata');
  countCalls(storage, 'addConstraintMetadata');
}

/**
 * Fails with an `INCOMPATIBLE_DEPENDENCY` error naming class-validator's version unless its
 * store (by default the global one) answers a public `@IsString()` as this file reads it: one
 * record, grouped under its property, whose constraint has a name and an instance that
 * validates, and whose writing is counted. Tests pass a stub.
 */
export function checkClassValidatorInternals(storage?: ValidatorStorage): void {
  watchValidatorMetadata();
  class ProbeTarget {
    name?: string;
  }
  const before = metadataChanges.count;
  IsString()(ProbeTarget.prototype, 'name');
  const counted = metadataChanges.count > before;
  let problem: string | undefined;
  try {
    const s = storage ?? validatorStorage();
    const records = s.getTargetValidationMetadatas(ProbeTarget, '', true, false);
    const grouped = s.groupByPropertyName(records);
    const constraint = records.length === 1 ? s.getTargetValidatorConstraints(records[0].constraintCls)[0] : undefined;
    const instance: ValidatorConstraintInterface | undefined = constraint?.instance;
    if (records.length !== 1 || records[0].type !== ValidationTypes.CUSTOM_VALIDATION) {
      problem = 'getTargetValidationMetadatas does not answer the record @IsString() wrote';
    } else if (grouped['name']?.[0] !== records[0]) {
      problem = 'groupByPropertyName does not group records by their propertyName';
    } else if (constraint?.name !== 'isString' || instance?.validate('x', undefined) !== true) {
      problem =
        "getTargetValidatorConstraints does not answer @IsString()'s constraint with an instance that validates";
    } else if (!counted) {
      problem = 'decorators do not record through getMetadataStorage().addValidationMetadata';
    }
  } catch (error) {
    if (error instanceof ConfigurationError) throw error;
    throw incompatibleDependency('class-validator', `reading its metadata store failed (${String(error)})`, error);
  }
  if (problem !== undefined) throw incompatibleDependency('class-validator', problem);
}
