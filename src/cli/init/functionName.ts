/**
 * FC's rule for a function's name: letters, digits, `_` and `-`, starting with a letter or `_`,
 * 1 to 64 characters. FC refuses any other name when the function is created.
 */
export const FUNCTION_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_-]{0,63}$/;

/** Why `name` cannot name an FC function, or `undefined` when it can. */
export function functionNameProblem(name: string): string | undefined {
  if (FUNCTION_NAME_PATTERN.test(name)) return undefined;
  if (name.length === 0) return 'a function name cannot be empty';
  if (name.length > 64) return `${JSON.stringify(name)} is ${name.length} characters long: FC allows 64 at most`;
  if (!/^[A-Za-z_]/.test(name)) return `${JSON.stringify(name)} must start with a letter or _`;
  return `${JSON.stringify(name)} may hold letters, digits, _ and - only`;
}
