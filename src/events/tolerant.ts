import { ValidationSettings } from '../decorators/ValidationSettings';

/**
 * The settings of every trigger event class: FC adds fields to its payloads over time, and a
 * deployed function must keep accepting them, so unknown fields are stripped rather than
 * rejected. Known fields are still checked as strictly as any DTO's.
 */
export function TolerantTriggerEvent(): ClassDecorator {
  return ValidationSettings({ whitelist: true, forbidNonWhitelisted: false });
}
