import { plainToInstance } from 'class-transformer';
// class-transformer's `@Type` records; its metadata store is not on the public entry point.
import { defaultMetadataStorage as transformerStorage } from 'class-transformer/cjs/storage';
import { getMetadataStorage, validate, ValidationTypes } from 'class-validator';
import { ValidationError } from '../errors/FcError';
import type { Constructor } from '../metadata/records';
import { flattenValidationErrors } from './flattenErrors';
import type { EventValidator, ResolvedValidationOptions } from './options';

/** Whether class-validator knows any constraint of this class (or its bases). */
export function hasValidationMetadata(dto: Constructor): boolean {
  return getMetadataStorage().getTargetValidationMetadatas(dto, '', true, false).length > 0;
}

/**
 * Fails at boot for a DTO that would not be validated as its author expects: no constraints at
 * all, or an `@ValidateNested()` property without `@Type(() => Class)` (class-transformer would
 * leave it a plain object and its constraints would silently not run).
 */
export function assertValidatableDto(dto: Constructor, where: string): void {
  if (!hasValidationMetadata(dto)) {
    throw new TypeError(
      `${where} has no class-validator decorators; decorate its properties, or declare the event as Buffer, string or object`,
    );
  }
  const seen = new Set<Constructor>();
  const pending: Constructor[] = [dto];
  while (pending.length > 0) {
    const cls = pending.pop()!;
    if (seen.has(cls)) continue;
    seen.add(cls);
    const metadatas = getMetadataStorage().getTargetValidationMetadatas(cls, '', true, false);
    for (const m of metadatas) {
      if (m.type !== ValidationTypes.NESTED_VALIDATION) continue;
      const typeMeta = transformerStorage.findTypeMetadata(cls, m.propertyName);
      if (!typeMeta) {
        throw new TypeError(
          `${where}: ${cls.name}.${m.propertyName} is @ValidateNested() but has no @Type(() => Class); add it so the nested value is transformed and validated`,
        );
      }
      const nested = typeMeta.typeFunction();
      if (typeof nested === 'function' && nested !== Object) pending.push(nested as Constructor);
    }
  }
}

/** The default engine: class-transformer's `plainToInstance`, then class-validator's `validate`. */
export const classValidatorEventValidator: EventValidator = {
  compile(dto, options: ResolvedValidationOptions) {
    assertValidatableDto(dto, `DTO ${dto.name}`);
    const transformOptions = { enableImplicitConversion: options.enableImplicitConversion };
    const validatorOptions = {
      whitelist: options.whitelist,
      forbidNonWhitelisted: options.forbidNonWhitelisted,
      forbidUnknownValues: options.forbidUnknownValues,
      skipMissingProperties: options.skipMissingProperties,
      stopAtFirstError: options.stopAtFirstError,
      groups: options.groups,
      validationError: { target: false, value: false },
    };
    return async (plain) => {
      dropConstructorKeys(plain);
      const instance = plainToInstance(dto, plain, transformOptions) as object;
      const errors = await validate(instance, validatorOptions);
      if (errors.length > 0) throw new ValidationError(flattenValidationErrors(errors));
      return instance;
    };
  },
};

/**
 * class-transformer takes the class of a nested object it has no `@Type` for from the object's
 * `constructor` property, so an own `constructor` key from JSON (`{"constructor": "x"}`) makes it
 * throw a TypeError instead of letting validation answer. On declared classes it already skips
 * `constructor` and `__proto__` keys; this drops them everywhere, in place, with an explicit stack.
 */
function dropConstructorKeys(root: unknown): void {
  const pending: unknown[] = [root];
  while (pending.length > 0) {
    const node = pending.pop();
    if (node === null || typeof node !== 'object') continue;
    if (!Array.isArray(node)) {
      const record = node as Record<string, unknown>;
      if (Object.hasOwn(record, 'constructor')) Reflect.deleteProperty(record, 'constructor');
      if (Object.hasOwn(record, '__proto__')) delete record['__proto__'];
    }
    for (const child of Array.isArray(node) ? (node as unknown[]) : Object.values(node)) {
      if (child !== null && typeof child === 'object') pending.push(child);
    }
  }
}
