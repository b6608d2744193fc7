import { ConfigurationError } from '../errors/ConfigurationError';

/** What to change when decorators were compiled as standard ones. */
export const LEGACY_DECORATOR_FLAGS =
  'set "experimentalDecorators": true and "emitDecoratorMetadata": true in the compilerOptions of tsconfig.json, and build again with tsc';

/**
 * Refuses a standard (TC39) decorator call, `(value, context)`, whose `context` has a `kind`: what
 * tsc emits without `experimentalDecorators`. fc-kernel's decorators, like tsyringe's and
 * class-validator's, are TypeScript's legacy ones; run anyway, they would record nothing usable,
 * and the kernel would say the class has no `@OnInvoke()` method.
 *
 * @throws ConfigurationError (`STANDARD_DECORATORS`) naming the tsconfig flags.
 */
export function refuseStandardDecorator(decorator: string, context: unknown): void {
  if (context === null || typeof context !== 'object') return;
  const { kind, name } = context as { kind?: unknown; name?: unknown };
  if (typeof kind !== 'string') return;
  const on = typeof name === 'string' ? ` on ${name}` : '';
  throw new ConfigurationError(
    'STANDARD_DECORATORS',
    `${decorator}${on} was compiled as a standard (TC39) decorator, but fc-kernel's decorators are TypeScript's legacy ones (tsc's errors TS1240, TS1241 and TS1206 on decorators say the same): ${LEGACY_DECORATOR_FLAGS}`,
  );
}
