import { parseArgs, type ParseArgsConfig } from 'node:util';
import { usageError } from './CliError';

type Options = NonNullable<ParseArgsConfig['options']>;
type Parsed<O extends Options> = ReturnType<
  typeof parseArgs<{ args: string[]; options: O; allowPositionals: true; strict: true }>
>;

/**
 * A command's arguments through `node:util`'s `parseArgs`, strictly: an unknown option, a missing
 * value or a value of the wrong kind is a usage error (exit 2) with parseArgs's own message.
 */
export function parseCommandArgs<O extends Options>(args: readonly string[], options: O): Parsed<O> {
  try {
    return parseArgs({ args: [...args], options, allowPositionals: true, strict: true });
  } catch (error) {
    if (String((error as NodeJS.ErrnoException).code).startsWith('ERR_PARSE_ARGS_')) {
      throw usageError((error as Error).message);
    }
    throw error;
  }
}
