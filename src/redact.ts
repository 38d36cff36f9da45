import type { Finding } from './finding';
import { remembered } from './memo';
/*
 * The one redaction every output of the library goes through: findings leaving the audit, the CLI's
 * text / JSON / SARIF reports and its stderr notes, the cdk8s validation plugin's report and every synth
 * error. It imports nothing that needs cdk8s, so the CLI can use it without cdk8s.
 *
 * A value that looks like a credential is replaced with the marker `<redacted>`; the key, flag, header or
 * URL around it stays, so a message still says where the credential is. The preStop script
 * (assets/prestop.sh, `redact_url`) redacts the URLs it logs with the same marker: `user:password@` and the
 * values of query parameters whose names contain token, pass, secret or key, or start with auth.
 */

/** What a redacted value is replaced with. */
export const REDACTED = '<redacted>';

/** Words that make a key secret when its parts, joined, contain them (`SPRING_CLOUD_NACOS_DISCOVERY_ACCESSKEY`). */
const SECRET_WORDS = /(password|passwd|passphrase|secret|token|credential|apikey|accesskey|secretkey|privatekey|signingkey|encryptionkey|identityvalue)s?$/;
/** Parts that are secret only as a key's last part (`CONSUL_HTTP_AUTH`, `db.pwd`). */
const SECRET_LAST = new Set(['auth', 'pwd', 'pass', 'credentials', 'cookie']);
/** A key whose last part is one of these names, refers to or configures a secret without being one. */
const NOT_SECRET_LAST = new Set(['header', 'headers', 'query', 'param', 'name', 'names', 'file', 'path', 'ref', 'enabled', 'enable', 'ttl',
  'expire', 'expires', 'expiry', 'seconds', 'ms', 'millis', 'type', 'length', 'size', 'url', 'uri', 'endpoint', 'provider', 'mode', 'format',
  'algorithm', 'refresh', 'interval', 'timeout', 'id', 'key', 'keys', 'store', 'cache']);
/** Keys whose value is an address that may carry `user:password@` without a scheme (`nacos:pw@nacos:8848`). */
const ADDRESS_LAST = /^(addr|address|addresses|serveraddr|host|hosts|url|urls|uri|endpoint|endpoints|defaultzone|server|servers|zone)$/;

/** The lower-case parts of a key: split at `.`, `_`, `-`, `[`, `]` and camelCase boundaries. */
function keyParts(key: string): string[] {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[\s._\-[\]/]+/)
    .map(p => p.toLowerCase())
    .filter(p => p !== '');
}

/**
 * Whether a key (an env name, a Spring property in any relaxed spelling, a query parameter, a header, a
 * JSON or YAML key) names a credential: password, passwd, secret, token, access / secret / api key, ACL
 * token, credentials … (`SPRING_CLOUD_NACOS_DISCOVERY_PASSWORD`, `spring.cloud.consul.discovery.acl-token`,
 * `accessToken`, `X-Consul-Token`). Keys that name or configure a secret without holding it are not
 * (`GRACEFUL_TOKEN_HEADER`, `secretKeyRef`, `token-ttl`), nor are user names.
 */
export function isSecretKey(key: string): boolean {
  return secretKeys(key);
}

/* The same keys recur in every container and message: each is judged once (bounded). */
const secretKeys = remembered(judgeSecretKey);
const addressKeys = remembered(judgeAddressKey);

function judgeSecretKey(key: string): boolean {
  const parts = keyParts(key.replace(/^-+D?(?=[a-z])/, '').replace(/^-+/, ''));
  if (parts.length === 0) return false;
  const last = parts[parts.length - 1];
  if (SECRET_LAST.has(last)) return true;
  if (NOT_SECRET_LAST.has(last) && !/^(accesskey|secretkey|apikey|privatekey)$/.test(parts.slice(-2).join(''))) return false;
  // a part, or two parts together (`access-key`, `identity.value`), that ends with a secret word
  return parts.some((p, i) => SECRET_WORDS.test(p) || (i > 0 && SECRET_WORDS.test(parts[i - 1] + p)));
}

/** Whether a key names an address (`serverAddr`, `SERVER_ADDR`, `service-url.defaultZone`, `host`). */
function isAddressKey(key: string): boolean {
  return addressKeys(key);
}

function judgeAddressKey(key: string): boolean {
  const parts = keyParts(key);
  const last = parts[parts.length - 1] ?? '';
  return ADDRESS_LAST.test(last) || ADDRESS_LAST.test(parts.slice(-2).join(''));
}

/** A query parameter the preStop script redacts too: its name contains token, pass, secret or key, or starts with auth. */
function isSecretParam(name: string): boolean {
  return /token|pass|secret|key/i.test(name) || /^auth/i.test(name) || isSecretKey(name);
}

/** A reference resolved at run time (`$VAR`, `$(VAR)`, `${VAR}`): not the secret itself, so it is kept. */
function isReference(value: string): boolean {
  return /^\$(\([A-Za-z_][A-Za-z0-9_]*\)|\{[A-Za-z_][A-Za-z0-9_.-]*\}|[A-Za-z_][A-Za-z0-9_]*)$/.test(value);
}

/** The value, or the marker when it is a literal (empty values and references are kept). */
function hide(value: string): string {
  if (value === '' || value === REDACTED || isReference(value)) return value;
  return REDACTED;
}

/** A value, quoted or not, inside a key=value, flag or header (not starting with `)`: `(KEY=)` has no value). */
const VALUE = String.raw`(?:\\"(?:[^"\\]|\\(?!"))*(?:\\"|$)|"[^"\n]*"?|'[^'\n]*'?|(?:[^\s"'&\\)]|\\+(?![\\"]))(?:[^\s"'&\\]|\\+(?![\\"]))*)`;
/** A key (`-D`/`--` flags, env names, Spring properties, query parameters). */
const KEY = String.raw`[A-Za-z_][A-Za-z0-9_.\-[\]]*`;

/** Replaces the inside of a (possibly quoted) value, keeping the quotes. */
function hideQuoted(raw: string): string {
  const m = /^(\\"|"|')([\s\S]*?)(\\"|"|')?$/.exec(raw);
  if (m && (m[3] === undefined || m[3] === m[1])) return `${m[1]}${hide(m[2])}${m[3] ?? ''}`;
  return hide(raw);
}

/** `user:password@` in front of a host, without a scheme (`nacos:pw@nacos:8848`): the part before the last `@`. */
function redactAuthority(value: string): string {
  return value.replace(/(^|[\s"',;=])([^\s"',;=/@]*:[^\s"',;=/]*@)(?=[A-Za-z0-9[$])/g,
    (_, pre: string, userinfo: string) => (userinfo === `${REDACTED}@` ? `${pre}${userinfo}` : `${pre}${REDACTED}@`));
}

/*
 * Each rule with a test every text it can change passes (a literal its pattern cannot match without), so a
 * text without it skips the rule's regular expression: the output is the same, only cheaper.
 */
const RULES: ((text: string) => string)[] = [
  // scheme://user:password@host — the password may hold $, ?, %, @ (up to the last @ before the path)
  t => t.replace(/(?<![A-Za-z0-9+.-])([A-Za-z][A-Za-z0-9+.-]*:\/\/)([^\s/"'<>\\]*@)(?=[^\s@]|$)/g,
    (m, scheme: string, userinfo: string) => (userinfo === `${REDACTED}@` ? m : `${scheme}${REDACTED}@`)),
  // a shortened URL whose user:password was cut before the @ (`http://user:pa…`)
  t => t.replace(/(?<![A-Za-z0-9+.-])([A-Za-z][A-Za-z0-9+.-]*:\/\/)([^\s/"'<>\\@]*:(?!\d*(?:…|\.\.\.))[^\s/"'<>\\@]*)(…|\.\.\.)/g,
    (_, scheme: string, _u: string, ellipsis: string) => `${scheme}${REDACTED}${ellipsis}`),
  // query parameters (?token=… &password=…) — the names the preStop script redacts
  t => t.replace(new RegExp(String.raw`([?&])(${KEY})=(${VALUE})`, 'g'),
    (m, sep: string, key: string, value: string) => (isSecretParam(key) ? `${sep}${key}=${hideQuoted(value)}` : m)),
  // key=value: -Dspring.cloud.nacos.discovery.password=…, --spring…token=…, NACOS_PASSWORD=…, -d password=…
  // (a key starts after a character that cannot be part of one, so each run of key characters is scanned once)
  t => t.replace(new RegExp(String.raw`(?<![A-Za-z0-9_.\[\]?&-])(-{0,2})(${KEY})=(${VALUE})`, 'g'),
    (m, pre: string, key: string, value: string) => {
      if (isSecretKey(key)) return `${pre}${key}=${hideQuoted(value)}`;
      if (isAddressKey(key)) return `${pre}${key}=${redactAuthority(value)}`;
      return m;
    }),
  // JSON: "password": "…" (also escaped inside a JSON string: \"password\":\"…\"), "token": 123
  t => t.replace(/(?<!\\)(\\*")([A-Za-z_][A-Za-z0-9_.-]*)(\\*")(\s*:\s*)(?:(\\*")((?:[^"\\]|\\+(?![\\"]))*)(\\*"|$)|([^\s,}\]"\\]+))/g,
    (m, q1: string, key: string, q2: string, colon: string, open: string | undefined, quoted: string, close: string, bare: string | undefined) => {
      const value = open !== undefined ? quoted : bare ?? '';
      const shown = isSecretKey(key) ? hide(value) : isAddressKey(key) ? redactAuthority(value) : value;
      return shown === value ? m : `${q1}${key}${q2}${colon}${open !== undefined ? `${open}${shown}${close}` : shown}`;
    }),
  // headers and YAML: Authorization: Bearer …, X-Consul-Token: …, X-Nacos-…: …, password: …
  t => t.replace(/(^[ \t]*(?:-[ \t]+)?|[^A-Za-z0-9_.-])([A-Za-z][A-Za-z0-9_.-]*)(:[ \t]*)((?:(?:Bearer|Basic|Digest|Token|Negotiate)[ \t]+)?)("[^"\n]*"?|'[^'\n]*'?|\$\([A-Za-z_][A-Za-z0-9_]*\)|[^\s"'\\,;)]+)/gm,
    (m, pre: string, key: string, colon: string, scheme: string, value: string, offset: number, all: string) => {
      const header = /^(proxy-)?authorization$/i.test(key) || /^x-nacos-/i.test(key) || /^(set-)?cookie$/i.test(key)
        || (/^x-/i.test(key) && isSecretKey(key));
      // other keys only as YAML keys, at the start of a line (`password: …`, `- token: …`)
      if (!header && !(isSecretKey(key) && atLineStart(all, offset + pre.length))) return m;
      if (value.startsWith('{{')) return m; // a template: its default is handled below
      return `${pre}${key}${colon}${scheme}${hideQuoted(value)}`;
    }),
  // curl -u user:password, --user, --proxy-user; and --password VALUE, --token VALUE (also in a JSON argv)
  t => t.replace(/(^|[\s"'])(-u|--user|--proxy-user|-U)((?:\s+|"\s*,\s*"|=))("[^"\n]*"?|'[^'\n]*'?|[^\s"'\\]+)/g,
    (_, pre: string, flag: string, sep: string, value: string) => `${pre}${flag}${sep}${hideQuoted(value)}`),
  // (flags without dots only: a Spring property is always given as --key=value)
  t => t.replace(/(^|[\s"'])(--?[A-Za-z][A-Za-z0-9_-]*)(\s+|"\s*,\s*")("[^"\n]*"?|'[^'\n]*'?|[^\s"'\\-][^\s"'\\]*)/g,
    (m, pre: string, flag: string, sep: string, value: string) => (isSecretKey(flag) ? `${pre}${flag}${sep}${hideQuoted(value)}` : m)),
  // Dockerfile ENV in its legacy form: ENV NACOS_PASSWORD s3cret
  t => t.replace(/(^|\n|["'])(\s*ENV\s+)([A-Za-z_][A-Za-z0-9_.-]*)([ \t]+)([^\n"]+)/g,
    (m, pre: string, env: string, key: string, sp: string, value: string) => (isSecretKey(key) && !value.includes('=') ? `${pre}${env}${key}${sp}${hide(value.trim())}` : m)),
  // Helm: default "…" on a line (or in a template) that names a secret: {{ .Values.nacos.password | default "s3cret" }}
  t => t.split('\n').map(line => (secretLine(line)
    ? line.replace(/(\bdefault[ \t]+)(\\?"(?:[^"\\\n]|\\(?!"))*(?:\\?")?|'[^'\n]*'?)/g, (_, d: string, v: string) => `${d}${hideQuoted(v)}`)
    : line)).join('\n'),
];

/**
 * What a text must contain for each of {@link RULES} (same order) to be able to change it: `://` for the URL
 * rules, `=` for query parameters and key=value, `"` and `:` for JSON, `:` for headers and YAML, `-u` / `-U`
 * for curl's user flags (`--user` and `--proxy-user` contain `-u`), `-` for other flags, `ENV` for the
 * Dockerfile rule and `{{` for Helm's default (its line must hold a template).
 */
const RULE_NEEDS: ((text: string) => boolean)[] = [
  t => t.includes('://'),
  t => t.includes('://'),
  t => t.includes('='),
  t => t.includes('='),
  t => t.includes('"') && t.includes(':'),
  t => t.includes(':'),
  t => t.includes('-u') || t.includes('-U'),
  t => t.includes('-'),
  t => t.includes('ENV'),
  t => t.includes('{{'),
];

/** Whether only blanks and a list dash stand between the start of the line and `index`. */
function atLineStart(text: string, index: number): boolean {
  let i = index - 1;
  while (i >= 0 && (text[i] === ' ' || text[i] === '\t')) i--;
  if (i >= 0 && text[i] === '-') {
    i--;
    while (i >= 0 && (text[i] === ' ' || text[i] === '\t')) i--;
  }
  return i < 0 || text[i] === '\n';
}

/** Whether a line names a secret (a key, a `.Values` path or a template name). */
function secretLine(line: string): boolean {
  if (!/\bdefault\b/.test(line) || !line.includes('{{')) return false;
  return (line.match(/[A-Za-z_][A-Za-z0-9_.-]*/g) ?? []).some(isSecretKey);
}

/**
 * The text with every credential it shows replaced by `<redacted>`: values of secret keys (`KEY=…`,
 * `-D…password=…`, `--…token=…`, `"password": "…"`, `password: …`, `ENV KEY …`), `user:password@` in URLs
 * (also with `$`, `?`, `%` or `@` in the password), secret query parameters, `curl -u`, `Authorization:`,
 * `X-Consul-Token:` and `X-Nacos-…:` headers, and Helm `default "…"` next to a secret name. Keys, flags and
 * headers stay; references (`$VAR`, `$(VAR)`, `${VAR}`) are kept. Redacting twice changes nothing.
 */
export function redact(text: string): string {
  if (typeof text !== 'string' || text === '') return text;
  let t = text;
  for (let i = 0; i < RULES.length; i++) {
    if (RULE_NEEDS[i](t)) t = RULES[i](t);
  }
  return t;
}

/**
 * A value shown for a key or prop (in an error): all of it when the key names a secret
 * (`registry.token`, `envVariables.NACOS_PASSWORD`), `user:password@` when it names an address
 * (`serverAddr`), and otherwise whatever {@link redact} finds in it. `undefined`, `null` and empty values
 * are shown as they are.
 */
export function redactValue(key: string, value: string): string {
  const last = key.replace(/\(.*?\)/g, '').split(/[.[\]]/).filter(p => p !== '').pop() ?? key;
  const argument = /\(([^()]*)\)$/.exec(key)?.[1] ?? ''; // `login(password)`
  if ((isSecretKey(last) || isSecretKey(argument)) && !/^(undefined|null|""|''|\[\]|\{\}|\[object Object\])$/.test(value)) return REDACTED;
  return redact(isAddressKey(last) ? redactAuthority(value) : value);
}

/**
 * The finding with every credential in its texts redacted.
 * @internal
 */
export function redactFinding(f: Finding): Finding {
  return redactFindingWith(f, redact);
}

/**
 * {@link redactFinding} that redacts each distinct remediation and path once (they repeat across an audit's
 * findings; messages name their object and are redacted each).
 * @internal
 */
export function findingRedactor(): (f: Finding) => Finding {
  const seen = new Map<string, string>();
  const r = (text: string): string => {
    let out = seen.get(text);
    if (out === undefined) {
      out = redact(text);
      seen.set(text, out);
    }
    return out;
  };
  return f => redactFindingWith(f, r, redact);
}

function redactFindingWith(f: Finding, r: (text: string) => string, rMessage: (text: string) => string = r): Finding {
  const message = rMessage(f.message);
  const remediation = r(f.remediation);
  const path = f.path === undefined ? undefined : r(f.path);
  if (message === f.message && remediation === f.remediation && path === f.path) return f;
  return { ...f, message, remediation, ...(path !== undefined ? { path } : {}) };
}
