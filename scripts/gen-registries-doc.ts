// Regenerates the generated parts of docs/registries.md (the registries tables from the registry modules, the
// worked examples' numbers from test/golden/<example>/): npx ts-node --transpile-only scripts/gen-registries-doc.ts
import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { renderRegistriesDoc, WorkedExample } from '../src/registry/doc';
import { AuditAnnotations } from '../src/annotations';
import { EXPLANATION_ANNOTATION, parseExplanation, SOURCES_ANNOTATION } from '../src/plan/lines';

const ROOT = path.join(__dirname, '..');
export const REGISTRIES_DOC = path.join(ROOT, 'docs', 'registries.md');

/**
 * The explanation of each example's Deployment, from its committed golden YAML: the compact explanation
 * annotation read back into one `graceful.cdk8s.io/<term>` entry per term, and the sources.
 */
export function workedExamples(): WorkedExample[] {
  const golden = path.join(ROOT, 'test', 'golden');
  return fs.readdirSync(golden).sort().map(name => {
    for (const f of fs.readdirSync(path.join(golden, name)).sort()) {
      for (const d of YAML.parseAllDocuments(fs.readFileSync(path.join(golden, name, f), 'utf-8'))) {
        const o = d.toJS();
        if (o?.kind === 'Deployment') return { name, annotations: explanationOf(o.metadata?.annotations ?? {}) };
      }
    }
    throw new Error(`test/golden/${name}/ has no Deployment`);
  });
}

function explanationOf(annotations: { [key: string]: string }): { [key: string]: string } {
  const terms = parseExplanation(annotations[EXPLANATION_ANNOTATION] ?? '');
  return {
    ...Object.fromEntries(Object.entries(terms).map(([k, v]) => [`graceful.cdk8s.io/${k}`, v])),
    ...(annotations[SOURCES_ANNOTATION] !== undefined ? { [SOURCES_ANNOTATION]: annotations[SOURCES_ANNOTATION].split('\n').join('; ') } : {}),
  };
}

/** docs/registries.md as it should be. */
export function expectedRegistriesDoc(): string {
  return renderRegistriesDoc(fs.readFileSync(REGISTRIES_DOC, 'utf-8'), workedExamples(), AuditAnnotations.CONSUMER_CACHE_SECONDS);
}

if (require.main === module) {
  fs.writeFileSync(REGISTRIES_DOC, expectedRegistriesDoc());
  process.stdout.write(`wrote ${path.relative(process.cwd(), REGISTRIES_DOC)}\n`);
}
