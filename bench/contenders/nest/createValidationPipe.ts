import { ValidationPipe } from '@nestjs/common';
import { InvalidEvent } from '../shared/fcProtocol';
import { describeValidationErrors, VALIDATOR_OPTIONS } from '../shared/validateOrder';

/**
 * Nest's `ValidationPipe` with fc-kernel's validation settings, transforming the body into the
 * DTO class; a failure becomes an `InvalidEvent` for the exception filter. The benchmark also
 * calls it in process to measure validation alone.
 */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    ...VALIDATOR_OPTIONS,
    transform: true,
    exceptionFactory: (errors) => new InvalidEvent(`Event validation failed: ${describeValidationErrors(errors)}`),
  });
}
