/**
 * What the documentation tests read from a Markdown file: its fenced code blocks with the
 * `docs-test` directives written before them, its headings and its links.
 */

/** A fenced code block. */
export interface CodeBlock {
  /** The Markdown file, relative to the repository root. */
  doc: string;
  /** The 1-based line of the block's first code line in `doc`. */
  line: number;
  /** The info string's first word (`ts`, `yaml`), lower-cased. */
  lang: string;
  /** The info string's other words: `fragment`, or `key=value` (`file=src/Order.ts`). */
  flags: ReadonlySet<string>;
  attributes: Readonly<Record<string, string>>;
  /** The `<!-- docs-test {...} -->` comment just before the fence (blank lines between), if any. */
  directive: Directive | undefined;
  code: string;
}

/** A `docs-test` directive: what a test does with the block that follows it, or with the page. */
export interface Directive {
  /** Run the block as the container does in non-web-server mode, with this event. */
  event?: unknown;
  /** The result the run must print as its last line. */
  answer?: unknown;
  /**
   * Page-wide: the page walks through the project `fc-kernel init <name>` writes; its TypeScript
   * starts from that project's files, and a block naming one of them must show it as it is.
   */
  init?: string;
  /** Before a ```bash block: the exit code its `npx fc-kernel` commands end with (default 0). */
  exitCode?: number;
}

/** A Markdown heading. */
export interface Heading {
  line: number;
  text: string;
}

/** A link or image in the prose (code blocks and inline code excluded). */
export interface Link {
  line: number;
  target: string;
}

const FENCE = /^(\s*)(`{3,}|~{3,})\s*(.*)$/;
const DIRECTIVE = /^\s*<!--\s*docs-test\s+(\{.*\})\s*-->\s*$/;

/** Every fenced code block of `text`, in order. Throws on an unclosed fence or a bad directive. */
export function codeBlocks(doc: string, text: string): CodeBlock[] {
  const blocks: CodeBlock[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(lines[i]!);
    if (!open) continue;
    const [, indent, fence, info] = open as unknown as [string, string, string, string];
    const end = lines.findIndex((l, j) => j > i && closesFence(l, fence));
    if (end === -1) throw new Error(`${doc}:${i + 1}: the code block is not closed`);
    const [lang = '', ...words] = info.trim().split(/\s+/).filter(Boolean);
    const flags = new Set(words.filter((w) => !w.includes('=')));
    const attributes = Object.fromEntries(
      words.filter((w) => w.includes('=')).map((w) => [w.slice(0, w.indexOf('=')), w.slice(w.indexOf('=') + 1)]),
    );
    blocks.push({
      doc,
      line: i + 2,
      lang: lang.toLowerCase(),
      flags,
      attributes,
      directive: directiveAt(doc, lines, previousNonBlank(lines, i)),
      code: lines
        .slice(i + 1, end)
        .map((l) => (l.startsWith(indent) ? l.slice(indent.length) : l.trimStart()))
        .join('\n'),
    });
    i = end;
  }
  return blocks;
}

/** The page-wide directives of `text` (those naming an `init` project). */
export function pageDirectives(doc: string, text: string): Directive[] {
  return text
    .split('\n')
    .map((_, i, lines) => directiveAt(doc, lines, i))
    .filter((d): d is Directive => d?.init !== undefined);
}

/** The index of the last non-blank line before `index`, or -1. */
function previousNonBlank(lines: readonly string[], index: number): number {
  let i = index - 1;
  while (i >= 0 && lines[i]!.trim() === '') i--;
  return i;
}

function closesFence(line: string, fence: string): boolean {
  const trimmed = line.trim();
  return trimmed.startsWith(fence) && /^(`+|~+)$/.test(trimmed) && trimmed[0] === fence[0];
}

function directiveAt(doc: string, lines: readonly string[], index: number): Directive | undefined {
  const match = index >= 0 ? DIRECTIVE.exec(lines[index]!) : null;
  if (!match) return undefined;
  try {
    return JSON.parse(match[1]!) as Directive;
  } catch (error) {
    throw new Error(`${doc}:${index + 1}: the docs-test directive is not JSON: ${(error as Error).message}`);
  }
}

/** The prose lines of `text`: code blocks blanked, inline code removed, line numbers kept. */
function proseLines(text: string): string[] {
  const lines = text.split('\n');
  let fence: string | undefined;
  return lines.map((line) => {
    if (fence !== undefined) {
      if (closesFence(line, fence)) fence = undefined;
      return '';
    }
    const open = FENCE.exec(line);
    if (open) {
      fence = open[2];
      return '';
    }
    return line.replace(/`+[^`]*`+/g, '');
  });
}

/** The ATX headings (`## Title`) of `text`, outside code blocks. */
export function headings(text: string): Heading[] {
  const raw = text.split('\n');
  return proseLines(text).flatMap((prose, i) => {
    if (!/^#{1,6}\s/.test(prose)) return [];
    // The heading's own text, inline code included: it is part of the anchor.
    return [{ line: i + 1, text: raw[i]!.replace(/^#{1,6}\s+/, '').replace(/\s+#+\s*$/, '') }];
  });
}

/** The anchors GitHub gives `text`'s headings, plus explicit `<a id>`/`<a name>` ones. */
export function anchors(text: string): Set<string> {
  const seen = new Map<string, number>();
  const result = new Set<string>();
  for (const heading of headings(text)) {
    const base = slug(heading.text);
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    result.add(count === 0 ? base : `${base}-${count}`);
  }
  for (const match of text.matchAll(/<a\s+(?:id|name)="([^"]+)"/g)) result.add(match[1]!);
  return result;
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens. */
export function slug(heading: string): string {
  return heading
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
    .replace(/ /g, '-');
}

/** The inline and reference-style link targets of `text`'s prose. */
export function links(text: string): Link[] {
  return proseLines(text).flatMap((prose, i) => {
    const found: Link[] = [];
    for (const match of prose.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) {
      found.push({ line: i + 1, target: match[1]! });
    }
    const reference = /^\s*\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+"[^"]*")?\s*$/.exec(prose);
    if (reference) found.push({ line: i + 1, target: reference[1]! });
    return found;
  });
}
