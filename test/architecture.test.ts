/*
 * The shape of src/: its folders have a rank and imports only go down it (the kernel knows no
 * transport), and no module depends on itself through others. The rules count type-only imports: `import type` loads nothing at run time, but a
 * kernel that names its HTTP server's types still depends on it, and two modules that name each
 * other's types can only be understood, and changed, together.
 */
import { expect } from 'chai';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

const SRC = resolve(__dirname, '..', '..', 'src');

interface ImportEdge {
  /** The imported file, relative to src/. */
  to: string;
  typeOnly: boolean;
  line: number;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') && !path.endsWith('.d.ts') ? [path] : [];
  });
}

function resolveSpecifier(from: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const base = resolve(dirname(from), specifier);
  for (const candidate of [`${base}.ts`, join(base, 'index.ts')]) if (existsSync(candidate)) return candidate;
  return undefined;
}

function isTypeOnlyImport(node: ts.ImportDeclaration): boolean {
  const clause = node.importClause;
  if (!clause) return false; // `import './x'` runs the module
  if (clause.isTypeOnly) return true;
  const bindings = clause.namedBindings;
  return (
    clause.name === undefined &&
    bindings !== undefined &&
    ts.isNamedImports(bindings) &&
    bindings.elements.length > 0 &&
    bindings.elements.every((element) => element.isTypeOnly)
  );
}

function isTypeOnlyExport(node: ts.ExportDeclaration): boolean {
  if (node.isTypeOnly) return true;
  const clause = node.exportClause;
  return (
    clause !== undefined &&
    ts.isNamedExports(clause) &&
    clause.elements.length > 0 &&
    clause.elements.every((element) => element.isTypeOnly)
  );
}

/** Every relative import of `text` (declarations, re-exports, `import()`, `require()`, `import('x').T`). */
function importsOf(file: string, text: string): ImportEdge[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const edges: ImportEdge[] = [];
  const add = (specifier: ts.Node, typeOnly: boolean) => {
    if (!ts.isStringLiteralLike(specifier)) return;
    const to = resolveSpecifier(file, specifier.text);
    if (to === undefined) return;
    const line = source.getLineAndCharacterOfPosition(specifier.getStart()).line + 1;
    edges.push({ to: relative(SRC, to), typeOnly, line });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node)) add(node.moduleSpecifier, isTypeOnlyImport(node));
    else if (ts.isExportDeclaration(node) && node.moduleSpecifier) add(node.moduleSpecifier, isTypeOnlyExport(node));
    else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      add(node.moduleReference.expression, node.isTypeOnly);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) add(node.argument.literal, true);
    else if (ts.isCallExpression(node) && node.arguments.length > 0) {
      const callee = node.expression;
      if (callee.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(callee) && callee.text === 'require')) {
        add(node.arguments[0]!, false);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return edges;
}

/** The import graph of src/: file (relative to src/) to its imports. */
function importGraph(): Map<string, ImportEdge[]> {
  return new Map(sourceFiles(SRC).map((file) => [relative(SRC, file), importsOf(file, readFileSync(file, 'utf8'))]));
}

/** Every cycle, each as the files along it (the first repeated at the end). */
function cyclesOf(graph: Map<string, ImportEdge[]>): string[][] {
  const cycles: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (file: string) => {
    state.set(file, 'open');
    path.push(file);
    for (const { to } of graph.get(file) ?? []) {
      if (state.get(to) === 'open') cycles.push([...path.slice(path.indexOf(to)), to]);
      else if (!state.has(to)) visit(to);
    }
    path.pop();
    state.set(file, 'done');
  };
  for (const file of graph.keys()) if (!state.has(file)) visit(file);
  return cycles;
}

/**
 * The folders of src/ (and its top-level files) by rank, lowest first: a module imports only from
 * its own folder or one of a lower rank, so folders of one rank know nothing of each other. The
 * flow of DESIGN.md: errors first; logging below context, whose `ctx.logger` it provides; the
 * engine (validation), the containers, the kernel; the decorators, which name the kernel's
 * interceptor types; the adapters and the description of plans over it; the public API; the
 * layers (telemetry, idempotency, batch); the tools on top.
 */
const RANKS: Readonly<Record<string, number>> = {
  errors: 0,
  dependencies: 1,
  metadata: 1,
  logging: 2,
  context: 3,
  validation: 4,
  di: 5,
  kernel: 6,
  decorators: 7,
  plan: 8,
  transport: 8,
  events: 8,
  'index.ts': 9,
  telemetry: 10,
  idempotency: 10,
  batch: 11,
  testing: 12,
  cli: 12,
};

/** The folder of a file relative to src/, or the file itself at the top. */
const folderOf = (file: string): string => file.split('/')[0]!;

/** Each import that does not go down the ranks, named with its file and line. */
function rankViolations(graph: Map<string, ImportEdge[]>): string[] {
  return [...graph].flatMap(([file, edges]) => {
    const from = folderOf(file);
    return edges
      .filter(({ to }) => folderOf(to) !== from && !(RANKS[folderOf(to)]! < RANKS[from]!))
      .map(
        ({ to, line }) =>
          `${file}:${line} imports ${to}: ${from} (rank ${RANKS[from]}) may not import ${folderOf(to)} (rank ${RANKS[folderOf(to)]})`,
      );
  });
}

describe('architecture of src/', () => {
  const graph = importGraph();

  it('reads every kind of import, type-only ones included', () => {
    const file = join(SRC, 'kernel', 'probe.ts');
    const edges = importsOf(
      file,
      [
        "import type { A } from '../transport/httpServer';",
        "import { type B } from './Kernel';",
        "export { C } from './routes';",
        "export type { D } from '../transport/serve';",
        "import '../index';",
        "type E = import('./deadline').E;",
        "const f = () => import('./encodeResult');",
        "const g = require('./InvocationScope');",
        "import { h } from 'node:http';",
      ].join('\n'),
    );
    expect(edges.map(({ to, typeOnly }) => [to, typeOnly])).to.deep.equal([
      ['transport/httpServer.ts', true],
      ['kernel/Kernel.ts', true],
      ['kernel/routes.ts', false],
      ['transport/serve.ts', true],
      ['index.ts', false],
      ['kernel/deadline.ts', true],
      ['kernel/encodeResult.ts', false],
      ['kernel/InvocationScope.ts', false],
    ]);
  });

  it('finds the modules', () => {
    expect(graph.get('kernel/Kernel.ts')).to.not.equal(undefined);
    expect(graph.get('transport/httpServer.ts')!.map((e) => e.to)).to.include('transport/ConnectionState.ts');
  });

  it('has no import from src/kernel into src/transport: the kernel knows no transport', () => {
    const offending = [...graph]
      .filter(([file]) => file.startsWith('kernel/'))
      .flatMap(([file, edges]) =>
        edges.filter((e) => e.to.startsWith('transport/')).map((e) => `${file}:${e.line} imports ${e.to}`),
      );
    expect(offending).to.deep.equal([]);
  });

  it('gives every folder of src/ a rank', () => {
    const folders = [...new Set([...graph.keys()].map(folderOf))].sort();
    expect(folders.filter((folder) => RANKS[folder] === undefined)).to.deep.equal([]);
  });

  it('has imports only down the ranks of the folders, type-only imports included', () => {
    expect(rankViolations(graph)).to.deep.equal([]);
  });

  it('names an import that goes up or across the ranks', () => {
    const probe = new Map([
      ['metadata/records.ts', [{ to: 'validation/options.ts', typeOnly: true, line: 2 }]],
      ['validation/options.ts', [{ to: 'metadata/Constructor.ts', typeOnly: true, line: 1 }]],
      ['plan/describe.ts', [{ to: 'events/index.ts', typeOnly: false, line: 7 }]],
    ]);
    expect(rankViolations(probe)).to.deep.equal([
      'metadata/records.ts:2 imports validation/options.ts: metadata (rank 1) may not import validation (rank 4)',
      'plan/describe.ts:7 imports events/index.ts: plan (rank 8) may not import events (rank 8)',
    ]);
  });

  it('has no import cycle, type-only imports included', () => {
    expect(cyclesOf(graph).map((cycle) => cycle.join(' -> '))).to.deep.equal([]);
  });

  it("reads a library's private modules only in the one file that fences its internals", () => {
    const fences: Record<string, string> = {
      'class-validator': 'validation/classValidatorInternals.ts',
      'class-transformer': 'validation/classTransformerInternals.ts',
      tsyringe: 'di/tsyringeInternals.ts',
    };
    const offending = sourceFiles(SRC)
      .map((file) => relative(SRC, file))
      .filter((file) => !file.endsWith('.d.ts'))
      .flatMap((file) =>
        [
          ...readFileSync(join(SRC, file), 'utf8').matchAll(
            /['"](class-validator|class-transformer|tsyringe)\/[^'"]+['"]/g,
          ),
        ]
          .filter((match) => fences[match[1]!] !== file)
          .map((match) => `${file} reads ${match[0]}`),
      );
    expect(offending).to.deep.equal([]);
  });
});
