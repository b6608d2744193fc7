import { compiledEventValidator } from './compiled';
import type { EventValidator } from './options';

/**
 * The engine a kernel validates DTO events with unless `validation.validator` names another: the
 * compiled engine, which answers exactly as class-transformer + class-validator do (and hands a
 * DTO it cannot plan to them), without their per-event metadata lookups.
 */
export const DEFAULT_EVENT_VALIDATOR: EventValidator = compiledEventValidator;
