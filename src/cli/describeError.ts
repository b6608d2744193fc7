import { ConfigurationError } from '../index';

/**
 * An error as the CLI prints it: a configuration mistake by its code and message (they name the
 * class and method), anything else with its stack, which points into the user's code.
 */
export function describeError(error: unknown): string {
  if (error instanceof ConfigurationError) return `${error.name} [${error.code}]: ${error.message}`;
  if (error instanceof Error) return error.stack ?? `${error.name}: ${error.message}`;
  return String(error);
}
