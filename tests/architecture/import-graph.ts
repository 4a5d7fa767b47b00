/**
 * The engine's import graph as TypeScript resolves it (static, dynamic and type-only imports alike), by
 * file and by folder, and a cycle finder over it. Independent of ESLint, so the layer and cycle rules are
 * checked twice over.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { REPO_ROOT } from '../support/paths';

export const SOURCE_ROOTS = ['src-main', 'src-shared', 'src-preload', 'src-renderer'];

export type Graph = Map<string, Set<string>>;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.(ts|tsx)$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [full] : [];
  });
}

const COMPILER_OPTIONS: ts.CompilerOptions = {
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  resolveJsonModule: true,
  allowImportingTsExtensions: true,
};

interface ImportSpecifier {
  specifier: string;
  /** `import type`, `export type`, or every named binding type-only: erased at run time. */
  typeOnly: boolean;
}

function importsOf(file: string): ImportSpecifier[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, false);
  const found: ImportSpecifier[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.importClause;
      const bindings = clause?.namedBindings;
      const allNamedTypeOnly =
        clause !== undefined &&
        clause.name === undefined &&
        bindings !== undefined &&
        ts.isNamedImports(bindings) &&
        bindings.elements.length > 0 &&
        bindings.elements.every((element) => element.isTypeOnly);
      found.push({ specifier: node.moduleSpecifier.text, typeOnly: clause?.isTypeOnly === true || allNamedTypeOnly });
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier !== undefined && ts.isStringLiteral(node.moduleSpecifier)) {
      found.push({ specifier: node.moduleSpecifier.text, typeOnly: node.isTypeOnly });
    } else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0] !== undefined &&
      ts.isStringLiteral(node.arguments[0])
    ) {
      found.push({ specifier: node.arguments[0].text, typeOnly: false });
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      found.push({ specifier: node.argument.literal.text, typeOnly: true });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/**
 * Repo-relative file → the repo-relative files it imports (packages and node: builtins left out);
 * `runtimeOnly` leaves out the type-only imports, which TypeScript erases.
 */
export function fileGraph(options: { runtimeOnly?: boolean } = {}): Graph {
  const graph: Graph = new Map();
  for (const root of SOURCE_ROOTS) {
    for (const file of sourceFiles(path.join(REPO_ROOT, root))) {
      const targets = new Set<string>();
      for (const { specifier, typeOnly } of importsOf(file)) {
        if (!specifier.startsWith('.') || (typeOnly && options.runtimeOnly === true)) continue;
        const resolved = ts.resolveModuleName(specifier, file, COMPILER_OPTIONS, ts.sys).resolvedModule;
        if (resolved && !resolved.isExternalLibraryImport) targets.add(path.relative(REPO_ROOT, resolved.resolvedFileName));
      }
      graph.set(path.relative(REPO_ROOT, file), targets);
    }
  }
  return graph;
}

/** `src-main/<stage>` for the engine's files, the top folder (`src-shared`, `src-renderer`, `models` …) otherwise. */
export function folderOf(file: string): string {
  const parts = file.split(path.sep);
  return parts[0] === 'src-main' && parts.length > 2 ? `src-main/${parts[1]}` : (parts[0] ?? file);
}

/** Folder → the other folders its files import. */
export function folderGraph(files: Graph): Graph {
  const graph: Graph = new Map();
  for (const [file, targets] of files) {
    const from = folderOf(file);
    const edges = graph.get(from) ?? new Set<string>();
    for (const target of targets) if (folderOf(target) !== from) edges.add(folderOf(target));
    graph.set(from, edges);
  }
  return graph;
}

/** One cycle (its nodes in import order, the first repeated at the end), or null when the graph has none. */
export function findCycle(graph: Graph): string[] | null {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string): string[] | null => {
    state.set(node, 'open');
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (state.get(next) === 'open') return [...stack.slice(stack.indexOf(next)), next];
      if (state.get(next) === undefined) {
        const cycle = visit(next);
        if (cycle) return cycle;
      }
    }
    stack.pop();
    state.set(node, 'done');
    return null;
  };
  for (const node of graph.keys()) {
    if (state.get(node) !== undefined) continue;
    const cycle = visit(node);
    if (cycle) return cycle;
  }
  return null;
}
