import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

/**
 * Every `.ts` file under `srcDir` transpiled to CommonJS `.js` under `outDir` (same relative paths), and
 * every `.json` file copied. `npm test` runs before anything is compiled, so tests that need the library as
 * JavaScript (the CLI as a process, the packed tarball) build it this way: as fast as one ts-node start.
 */
export function transpileTree(srcDir: string, outDir: string): void {
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, e.name);
      const target = path.join(outDir, path.relative(srcDir, full));
      if (e.isDirectory()) {
        walk(full);
      } else if (e.name.endsWith('.ts') && !e.name.endsWith('.d.ts')) {
        const js = ts.transpileModule(fs.readFileSync(full, 'utf-8'), {
          fileName: full,
          compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
        }).outputText;
        fs.mkdirSync(path.dirname(target), { recursive: true });
        fs.writeFileSync(target.replace(/\.ts$/, '.js'), js);
      } else if (e.name.endsWith('.json')) {
        fs.mkdirSync(path.dirname(target), { recursive: true });
        fs.copyFileSync(full, target);
      }
    }
  };
  walk(srcDir);
}
