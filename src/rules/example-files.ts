import * as fs from 'fs';
import * as path from 'path';
import { invalidProp } from '../errors';
import type { RuleExamples } from './rule';

/**
 * The built-in rules' examples, one folder per rule id (`rules/examples/<rule-id>/`), shipped in the npm
 * package. The path is relative to this module, so it is the same from `src/rules` (ts-jest, ts-node) and
 * from `lib/rules` (the compiled package).
 * @internal
 */
export const EXAMPLES_DIR = path.join(__dirname, '..', '..', 'rules', 'examples');

/**
 * Names an example file may have: `fail` (the rule reports it) or `pass` (it does not), an optional
 * `-<what>` for further cases, and `.yaml` (manifests) or `.Dockerfile`. The catalogue shows `fail.*` and
 * `pass.*`; the tests run every file.
 * @internal
 */
export const EXAMPLE_FILE_NAME = /^(fail|pass)(-[a-z0-9]+(?:-[a-z0-9]+)*)?\.(yaml|Dockerfile)$/;

/** One example file of a rule. @internal */
export interface ExampleFile {
  /** `fail`: the rule reports it; `pass`: the rule reports nothing. */
  readonly kind: 'fail' | 'pass';
  /** The file name, e.g. `fail.yaml` or `pass-sidecar.yaml`. */
  readonly name: string;
  /** Its full path. */
  readonly path: string;
  /** A Dockerfile (else a YAML manifest). */
  readonly dockerfile: boolean;
}

/**
 * The example files in a rule's folder whose names fit {@link EXAMPLE_FILE_NAME}, sorted by name; none
 * when the rule has no folder.
 * @internal
 */
export function exampleFiles(ruleId: string, dir: string = EXAMPLES_DIR): ExampleFile[] {
  const folder = path.join(dir, ruleId);
  if (!fs.existsSync(folder)) return [];
  return fs.readdirSync(folder).sort().flatMap(name => {
    const m = EXAMPLE_FILE_NAME.exec(name);
    return m ? [{ kind: m[1] as 'fail' | 'pass', name, path: path.join(folder, name), dockerfile: m[3] === 'Dockerfile' }] : [];
  });
}

/**
 * A rule's catalogue examples: the text of its `fail.*` and `pass.*` files.
 * @internal
 */
export function readExamples(ruleId: string, dir: string = EXAMPLES_DIR): RuleExamples {
  const files = exampleFiles(ruleId, dir);
  const text = (kind: 'fail' | 'pass'): string => {
    const main = files.filter(f => f.name === `${kind}.yaml` || f.name === `${kind}.Dockerfile`);
    if (main.length !== 1) {
      throw invalidProp('examples', 'not given', `and ${path.join(dir, ruleId)} has ${main.length === 0 ? 'no' : 'more than one'} ${kind}.yaml or ${kind}.Dockerfile`,
        `pass examples: { fail, pass } to the rule's constructor, or keep exactly one ${kind}.yaml or ${kind}.Dockerfile in that folder`);
    }
    return fs.readFileSync(main[0].path, 'utf8');
  };
  return { fail: text('fail'), pass: text('pass') };
}
