import { validationSettingsOf } from '../metadata/MetadataStore';
import type { ArrayEventType, Constructor } from '../metadata/records';
import { arrayEventOf, compileArrayValidation } from './arrayEvent';
import { compileEnvelopeValidation, envelopeOf } from './envelope';
import { resolveValidationOptions, type EventValidator, type ResolvedValidationOptions } from './options';
import type { CompiledValidation } from './partialValidation';

/**
 * Compiles, once at boot, how a parsed event of a DTO type is validated, above whichever engine
 * `validator` is: an array form validates each element on its own, an envelope (`CloudEvent.of`,
 * `TimerEvent.withPayload`) its payload on its own, and each class that is the root of a
 * validation gets its `@ValidationSettings` over the function's `options`.
 */
export function compileEventValidation(
  type: Constructor | ArrayEventType,
  validator: EventValidator,
  options: ResolvedValidationOptions,
): CompiledValidation {
  const array = arrayEventOf(type);
  if (array) {
    const validateElement = compileEventValidation(array.element, validator, options);
    return compileArrayValidation(array, validateElement, options);
  }
  const dto = type as Constructor;
  const validate = validator.compile(dto, resolveValidationOptions(options, validationSettingsOf(dto)));
  const envelope = envelopeOf(dto);
  if (!envelope) return validate;
  return compileEnvelopeValidation(
    envelope,
    validate,
    compileEventValidation(envelope.type, validator, options),
    options,
  );
}
