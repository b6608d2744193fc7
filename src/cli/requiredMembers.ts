const IDENTIFIER = '[A-Za-z_$][\\w$]*';

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The exports of `specifier` that a CommonJS module, as tsc writes one, reads: every member read
 * off a binding of `require("<specifier>")`, whether bound whole (`const cv = require(...)`,
 * through tsc's `__importStar` or `__importDefault` too) or destructured (`const { IsInt } =
 * require(...)`). Undefined when the module is used in any other way (passed on, enumerated,
 * indexed, required without a binding): then any export may be read.
 *
 * It reads the text, not a syntax tree, and errs one way only: a mention it cannot account for
 * (in a comment, say) makes the answer undefined or adds a name, never drops one that is read.
 */
export function requiredMembers(source: string, specifier: string): Set<string> | undefined {
  const call = `require\\(\\s*(?<quote>["'])${escapeRegExp(specifier)}\\k<quote>\\s*\\)`;
  const requires = source.match(new RegExp(call, 'g'))?.length ?? 0;
  const members = new Set<string>();
  let accounted = 0;

  const wrapper = `(?:${IDENTIFIER}\\.)?__import(?:Star|Default)\\(`;
  const whole = new RegExp(`\\b(?:const|let|var)\\s+(${IDENTIFIER})\\s*=\\s*(?:${wrapper})?${call}`, 'dg');
  for (const match of source.matchAll(whole)) {
    accounted++;
    const binding = match[1];
    const declaredAt = match.indices![1]![0];
    // Any mention but a member read (`cv.IsInt`, `cv?.IsInt`); `...cv` is a mention too.
    const uses = new RegExp(
      `(?<![\\w$])(?<![^.]\\.)${escapeRegExp(binding)}(?![\\w$])(\\s*\\??\\.\\s*(${IDENTIFIER}))?`,
      'g',
    );
    for (const use of source.matchAll(uses)) {
      if (use.index === declaredAt) continue;
      if (use[2] === undefined) return undefined;
      members.add(use[2]);
    }
  }

  const destructured = new RegExp(`\\b(?:const|let|var)\\s*\\{([^{}]*)\\}\\s*=\\s*${call}`, 'g');
  for (const match of source.matchAll(destructured)) {
    accounted++;
    for (const part of match[1].split(',')) {
      const entry = part.trim();
      if (entry === '') continue;
      const key = new RegExp(`^(?:(${IDENTIFIER})|(["'])(${IDENTIFIER})\\2)\\s*(?:[:=]|$)`).exec(entry);
      if (!key) return undefined;
      members.add(key[1] ?? key[3]);
    }
  }

  return accounted === requires ? members : undefined;
}
