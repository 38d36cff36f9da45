// Regenerates docs/rules.md from Rules.all() and the rules' example files (rules/examples/<rule-id>/): npx ts-node --transpile-only scripts/gen-rules-doc.ts
import * as fs from 'fs';
import * as path from 'path';
import { renderCatalogue } from '../src/rules/catalogue';

const target = path.join(__dirname, '..', 'docs', 'rules.md');
fs.writeFileSync(target, renderCatalogue());
process.stdout.write(`wrote ${path.relative(process.cwd(), target)}\n`);
