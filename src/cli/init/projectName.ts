/** What a project's name falls back to when its function's name has no letter or digit. */
const FALLBACK = 'fc-function';

/**
 * The project's name for a function's: its package name, image name and Serverless Devs
 * application name. npm and image registries want lower case, and neither takes a leading `_`;
 * a registry takes `-` runs between letters and digits but not `_` next to `-`, so every `_`
 * becomes `-`, and none stays at either end.
 */
export function projectName(functionName: string): string {
  const name = functionName
    .toLowerCase()
    .replace(/_/g, '-')
    .replace(/^-+|-+$/g, '');
  return name === '' ? FALLBACK : name;
}
