import * as fs from 'fs';
import { expectedRegistriesDoc, REGISTRIES_DOC } from '../../scripts/gen-registries-doc';
import { REGISTRY_MODULES } from '../../src/registry/all';
import { REGISTRIES_DOC_COMMAND } from '../../src/registry/doc';

test('the generated parts of docs/registries.md are up to date with the registry modules and the examples', () => {
  const actual = fs.readFileSync(REGISTRIES_DOC, 'utf-8');
  if (actual !== expectedRegistriesDoc()) {
    throw new Error(`docs/registries.md is out of date with the registry modules or the examples' YAML: regenerate it with \`${REGISTRIES_DOC_COMMAND}\` and commit it`);
  }
});

test('every registry module has a row in both tables, every fact its source', () => {
  const doc = fs.readFileSync(REGISTRIES_DOC, 'utf-8');
  for (const m of REGISTRY_MODULES) {
    expect(doc).toContain(`| ${m.label} (\`${m.id}\`) |`);
    if (m.construct) expect(doc).toContain(`| \`${m.construct.docRows[0].call}\` |`);
    for (const f of m.facts) expect(doc).toContain(`| \`${f.name}\` | ${f.seconds} s |`);
  }
});
