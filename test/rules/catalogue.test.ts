import * as fs from 'fs';
import * as path from 'path';
import { Rules } from '../../src/rules';
import { CATALOGUE_COMMAND, renderCatalogue } from '../../src/rules/catalogue';

const DOC = path.join(__dirname, '..', '..', 'docs', 'rules.md');

test('docs/rules.md is generated from Rules.all()', () => {
  const expected = renderCatalogue();
  const actual = fs.existsSync(DOC) ? fs.readFileSync(DOC, 'utf8') : '';
  if (actual !== expected) {
    throw new Error(`docs/rules.md is out of date with the rules: regenerate it with \`${CATALOGUE_COMMAND}\` and commit it`);
  }
});

test('every rule has a section whose anchor is its docsAnchor, and a row in the index', () => {
  const doc = renderCatalogue();
  for (const r of Rules.all()) {
    expect(doc).toContain(`<a id="${r.docsAnchor}"></a>\n## \`${r.id}\``);
    expect(doc).toContain(`| [\`${r.id}\`](#${r.docsAnchor}) | ${r.severity} |`);
  }
});

test('rule ids are unique, kebab-case, and found by Rules.byId', () => {
  const ids = Rules.all().map(r => r.id);
  expect(new Set(ids).size).toBe(ids.length);
  for (const id of ids) {
    expect(id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    expect(Rules.byId(id)?.id).toBe(id);
  }
  expect(Rules.byId('no-such-rule')).toBeUndefined();
});

test('every rule explains itself', () => {
  for (const r of Rules.all()) {
    expect({ id: r.id, title: r.title.length > 10, why: r.description.length > 80, fix: r.remediation.length > 20 })
      .toEqual({ id: r.id, title: true, why: true, fix: true });
  }
});
