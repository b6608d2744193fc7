import { metadataStore } from '../metadata/MetadataStore';
import type { Constructor, DtoValidationSettings } from '../metadata/records';

/**
 * Validation settings of one DTO class, over the kernel's and the function's. They apply where
 * the class is the root of a validation (the event, each element of an array event, the `data`
 * of a `CloudEvent.of(...)`) and cover its whole nested graph; a subclass inherits them and may
 * override each. fc-kernel/events declares its trigger events tolerant with it: fields FC adds
 * later are stripped rather than rejected, while the user's own DTOs stay strict.
 *
 * @example
 * ```ts
 * @ValidationSettings({ forbidNonWhitelisted: false }) // unknown fields are stripped
 * class PartnerWebhook {
 *   @IsString() orderId!: string;
 * }
 * ```
 */
export function ValidationSettings(settings: DtoValidationSettings): ClassDecorator {
  return (target) => {
    metadataStore.addValidationSettings({ target: target as unknown as Constructor, settings });
  };
}
