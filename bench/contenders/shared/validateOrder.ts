import { plainToInstance } from 'class-transformer';
import { validate, type ValidationError, type ValidatorOptions } from 'class-validator';
import { CreateOrder } from '../../../samples/order-service/CreateOrder';
import { InvalidEvent } from './fcProtocol';

/**
 * fc-kernel's default validation settings (src/validation/options.ts), so that every contender
 * rejects and strips exactly what fc-kernel does.
 */
export const VALIDATOR_OPTIONS: ValidatorOptions = {
  whitelist: true,
  forbidNonWhitelisted: true,
  forbidUnknownValues: true,
  skipMissingProperties: false,
  stopAtFirstError: false,
  validationError: { target: false, value: false },
};

/** `items.1.quantity: quantity must not be less than 1; ...`, from class-validator's error tree. */
export function describeValidationErrors(errors: ValidationError[], parent = ''): string {
  const parts: string[] = [];
  for (const error of errors) {
    const path = parent ? `${parent}.${error.property}` : error.property;
    if (error.constraints) parts.push(`${path}: ${Object.values(error.constraints).join(', ')}`);
    if (error.children?.length) parts.push(describeValidationErrors(error.children, path));
  }
  return parts.join('; ');
}

/**
 * A parsed event as a validated `CreateOrder`, the way an Express or Fastify app uses
 * class-transformer and class-validator: `plainToInstance`, then `validate`.
 */
export async function toValidOrder(plain: unknown): Promise<CreateOrder> {
  if (plain === null || typeof plain !== 'object' || Array.isArray(plain))
    throw new InvalidEvent('an order must be a JSON object');
  const order = plainToInstance(CreateOrder, plain);
  const errors = await validate(order, VALIDATOR_OPTIONS);
  if (errors.length > 0) throw new InvalidEvent(`Event validation failed: ${describeValidationErrors(errors)}`);
  return order;
}
