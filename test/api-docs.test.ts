/* eslint-disable no-bitwise */
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

/**
 * Every optional prop of the public API documents its default (`@default`), and every public interface
 * property, class and static factory has TSDoc. Read from the sources with the TypeScript compiler API, so
 * it holds without a build.
 */
const SRC = path.join(__dirname, '..', 'src');

/** The modules the package's entry point re-exports (`export … from`), transitively: the public API. */
function sourceFiles(entry: string, seen = new Set<string>()): string[] {
  if (seen.has(entry)) return [];
  seen.add(entry);
  const sf = ts.createSourceFile(entry, fs.readFileSync(entry, 'utf-8'), ts.ScriptTarget.ES2022, true);
  for (const node of sf.statements) {
    if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      const base = path.resolve(path.dirname(entry), node.moduleSpecifier.text);
      const file = [`${base}.ts`, path.join(base, 'index.ts')].find(f => fs.existsSync(f));
      if (file) sourceFiles(file, seen);
    }
  }
  return [...seen];
}

function jsDocTags(node: ts.Node): { text: string; tags: string[] } {
  const docs = (node as any).jsDoc as ts.JSDoc[] | undefined;
  if (!docs || docs.length === 0) return { text: '', tags: [] };
  const doc = docs[docs.length - 1];
  const text = typeof doc.comment === 'string' ? doc.comment : (doc.comment ?? []).map(c => c.text).join('');
  return { text, tags: (doc.tags ?? []).map(t => t.tagName.text) };
}

const isExported = (n: ts.Node) => (ts.getCombinedModifierFlags(n as ts.Declaration) & ts.ModifierFlags.Export) !== 0;

const problems: string[] = [];
const checked: string[] = [];
for (const file of sourceFiles(path.join(SRC, 'index.ts'))) {
  const sf = ts.createSourceFile(file, fs.readFileSync(file, 'utf-8'), ts.ScriptTarget.ES2022, true);
  const rel = path.relative(SRC, file);
  sf.forEachChild(node => {
    if (!isExported(node)) return;
    const top = jsDocTags(node);
    if (top.tags.includes('internal')) return;
    if (ts.isInterfaceDeclaration(node)) {
      if (!top.text) problems.push(`${rel}: interface ${node.name.text} has no TSDoc`);
      for (const m of node.members) {
        if (!ts.isPropertySignature(m)) continue;
        const name = `${node.name.text}.${(m.name as ts.Identifier).text}`;
        const doc = jsDocTags(m);
        checked.push(name);
        if (!doc.text) problems.push(`${rel}: ${name} has no TSDoc`);
        if (m.questionToken && !doc.tags.includes('default')) problems.push(`${rel}: optional ${name} has no @default`);
      }
    }
    if (ts.isClassDeclaration(node) && node.name) {
      if (!top.text) problems.push(`${rel}: class ${node.name.text} has no TSDoc`);
      for (const m of node.members) {
        const isPublic = !(ts.getCombinedModifierFlags(m as ts.Declaration) & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected));
        if (!isPublic || ts.isConstructorDeclaration(m) || !m.name || (m.name as ts.Identifier).text?.startsWith('_')) continue;
        const doc = jsDocTags(m);
        if (!doc.text) problems.push(`${rel}: ${node.name.text}.${(m.name as ts.Identifier).text} has no TSDoc`);
      }
    }
  });
}

test('the public API is documented, and every optional prop says its default', () => {
  expect(checked.length).toBeGreaterThan(20);
  expect(problems).toEqual([]);
});
