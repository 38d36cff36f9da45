import * as fs from 'fs';
import * as path from 'path';

/**
 * Every relative link in README.md, API.md and docs/**\/*.md resolves to a file or directory of the
 * repository, and a `#fragment` to a heading (GitHub's anchor slug) or an explicit `<a name|id>` of the
 * target; so does every `docs/…` path the sources name. docs/ ships in the npm package next to README.md
 * and API.md, so the same links and paths hold there.
 */
const ROOT = path.join(__dirname, '..');

function markdownFiles(): string[] {
  const out = ['README.md', 'API.md'];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
      const rel = path.posix.join(dir, e.name);
      if (e.isDirectory()) walk(rel);
      else if (e.name.endsWith('.md')) out.push(rel);
    }
  };
  walk('docs');
  return out;
}

/** The text outside fenced code blocks and inline code spans (links there are examples, not links). */
function prose(markdown: string): string {
  return markdown
    .replace(/^([ \t]*)(`{3,}|~{3,})[^\n]*\n[\s\S]*?^\1\2[ \t]*$/gm, '')
    .replace(/(`+)[^`\n]*?\1/g, '');
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, each space a hyphen. */
function slug(heading: string): string {
  return heading
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1') // links: their text
    .replace(/<[^>]+>/g, '') // inline HTML (API.md's <a name> after the title)
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

const anchorCache = new Map<string, Set<string>>();

/** The anchors a Markdown file defines: headings (numbered when repeated, as GitHub does) and `<a name|id>`. */
function anchors(file: string): Set<string> {
  const cached = anchorCache.get(file);
  if (cached) return cached;
  const text = fs.readFileSync(file, 'utf-8');
  const found = new Set<string>();
  const seen = new Map<string, number>();
  const withoutFences = text.replace(/^([ \t]*)(`{3,}|~{3,})[^\n]*\n[\s\S]*?^\1\2[ \t]*$/gm, '');
  for (const m of withoutFences.matchAll(/^#{1,6}\s+(.*?)\s*#*\s*$/gm)) {
    const base = slug(m[1].replace(/`/g, ''));
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    found.add(n === 0 ? base : `${base}-${n}`);
  }
  for (const m of text.matchAll(/<a\s[^>]*?\b(?:name|id)="([^"]+)"/g)) found.add(m[1]);
  for (const m of text.matchAll(/\bid="([^"]+)"/g)) found.add(m[1]);
  anchorCache.set(file, found);
  return found;
}

interface Link { readonly from: string; readonly target: string }

function links(file: string): Link[] {
  const text = prose(fs.readFileSync(path.join(ROOT, file), 'utf-8'));
  const targets = [
    ...[...text.matchAll(/\]\(([^)]*)\)/g)].map(m => m[1].trim().replace(/^<(.*)>$/, '$1').replace(/\s+"[^"]*"$/, '')), // [text](target "title")
    ...[...text.matchAll(/^\s*\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+"[^"]*")?\s*$/gm)].map(m => m[1]), // [ref]: target
    ...[...text.matchAll(/<a\s[^>]*?\bhref="([^"]+)"/g)].map(m => m[1]),
  ];
  return targets.map(target => ({ from: file, target }));
}

function problem(link: Link): string | undefined {
  const { from, target } = link;
  if (/\s/.test(target)) return `${from}: ${target}: a space in the link target`;
  if (/^[a-z][a-z0-9+.-]*:/i.test(target)) return undefined; // https:, mailto: …
  const [rawPath, fragment] = target.split('#', 2);
  const filePath = decodeURIComponent(rawPath);
  if (filePath.startsWith('/')) return `${from}: ${target}: absolute path (use a relative link)`;
  const resolved = filePath === '' ? path.join(ROOT, from) : path.resolve(path.dirname(path.join(ROOT, from)), filePath);
  if (path.relative(ROOT, resolved).startsWith('..')) return `${from}: ${target}: points outside the repository`;
  if (!fs.existsSync(resolved)) return `${from}: ${target}: no such file`;
  if (fragment !== undefined && resolved.endsWith('.md') && !anchors(resolved).has(decodeURIComponent(fragment))) {
    return `${from}: ${target}: no heading or anchor '#${fragment}' in ${path.relative(ROOT, resolved)}`;
  }
  return undefined;
}

test('GitHub anchor slugs', () => {
  expect(slug('Report 004 — The termination sequence and a grace-period formula')).toBe('report-004--the-termination-sequence-and-a-grace-period-formula');
  expect(slug('The preStop script (assets/prestop.sh)')).toBe('the-prestop-script-assetsprestopsh');
  expect(slug('GracefulValidation <a name="GracefulValidation" id="cdk8s-graceful.GracefulValidation"></a>')).toBe('gracefulvalidation');
});

test('every relative link in README.md, API.md and docs/ resolves (file, and anchor where given)', () => {
  const all = markdownFiles().flatMap(links);
  // the files do link to each other: a parser that found nothing would pass vacuously
  expect(all.filter(l => !/^[a-z][a-z0-9+.-]*:/i.test(l.target)).length).toBeGreaterThan(50);
  expect(all.map(problem).filter(p => p !== undefined)).toEqual([]);
});

test('every docs/ path the sources name (TSDoc, annotations, messages, remediations) exists, with its anchor', () => {
  const problems: string[] = [];
  let count = 0;
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) { walk(full); continue; }
      if (!e.name.endsWith('.ts')) continue;
      const from = path.relative(ROOT, full);
      for (const m of fs.readFileSync(full, 'utf-8').matchAll(/\bdocs\/([\w./-]*\.md)(?:#([\w-]+))?/g)) {
        count++;
        const target = path.join(ROOT, 'docs', m[1]);
        if (!fs.existsSync(target)) problems.push(`${from}: ${m[0]}: no such file`);
        else if (m[2] !== undefined && !anchors(target).has(m[2])) problems.push(`${from}: ${m[0]}: no heading '#${m[2]}'`);
      }
    }
  };
  walk(path.join(ROOT, 'src'));
  expect(count).toBeGreaterThan(10);
  expect(problems).toEqual([]);
});

test('docs/ is not excluded from the npm package', () => {
  const npmignore = fs.readFileSync(path.join(ROOT, '.npmignore'), 'utf-8').split('\n').map(l => l.trim());
  expect(npmignore.filter(l => /^\/?docs\/?(\*\*)?$/.test(l))).toEqual([]);
});
