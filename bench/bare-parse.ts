/**
 * The start-up baseline of the audit benchmark: node, the yaml package and a parse of one file (parseAllDocuments
 * + toJS), nothing else. `node bench/out/bench/bare-parse.js <file>`
 */
import * as fs from 'fs';
import { parseAllDocuments } from 'yaml';

let objects = 0;
for (const doc of parseAllDocuments(fs.readFileSync(process.argv[2], 'utf-8'))) {
  if (doc.toJS()?.kind) objects++;
}
if (objects === 0) process.exitCode = 1;
