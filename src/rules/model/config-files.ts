import * as YAML from 'yaml';
import { SpringProperties } from './properties';

/*
 * Spring Boot configuration files (application.yml / .yaml / .properties, bootstrap.*, application-<profile>.*)
 * held in a ConfigMap or Secret of the same input and mounted into a container as a volume. Their properties
 * join the container's SpringProperties before its env and command line, which win over them in Spring
 * (https://docs.spring.io/spring-boot/reference/features/external-config.html, "Externalized Configuration":
 * config data files rank below OS environment variables and command-line arguments).
 */

/** `application.yml`, `bootstrap.properties`, `application-prod.yaml` … (group 2: the profile). @internal */
export const SPRING_CONFIG_FILE = /^(application|bootstrap)(?:-([A-Za-z0-9_.]+))?\.(ya?ml|properties)$/;

/** One configuration file a container sees. @internal */
export interface MountedConfigFile {
  /** The key in the ConfigMap / Secret (the file name). */
  readonly key: string;
  readonly text: string;
  /** e.g. `ConfigMap orders-config application.yml`. */
  readonly where: string;
  /** JSON path of the volume mount. */
  readonly path: string;
  readonly fromSecret: boolean;
  /** Where it is mounted in the container, e.g. `/config/application.yml`. */
  readonly mountedAt: string;
}

/**
 * The Spring configuration files a container mounts from ConfigMaps and Secrets of the input.
 * @internal
 */
export function mountedConfigFiles(c: any, path: string, podSpec: any, find: (kind: string, name: string) => any): MountedConfigFile[] {
  return mountedFiles(c, path, podSpec, find).filter(f => SPRING_CONFIG_FILE.test(f.mountedAt.split('/').pop() ?? ''));
}

/**
 * Every file a container mounts from ConfigMaps and Secrets of the input (volumes of type `configMap`,
 * `secret` and `projected`, with `items` and `subPath` honoured), by the path it has in the container.
 * @internal
 */
export function mountedFiles(c: any, path: string, podSpec: any, find: (kind: string, name: string) => any): MountedConfigFile[] {
  const volumes: any[] = Array.isArray(podSpec?.volumes) ? podSpec.volumes : [];
  const out: MountedConfigFile[] = [];
  (Array.isArray(c?.volumeMounts) ? c.volumeMounts : []).forEach((vm: any, i: number) => {
    const v = volumes.find(x => x?.name === vm?.name);
    if (!v || typeof vm?.mountPath !== 'string') return;
    const sources: { kind: string; ref: any }[] = [];
    if (v.configMap) sources.push({ kind: 'ConfigMap', ref: { name: v.configMap.name, items: v.configMap.items } });
    if (v.secret) sources.push({ kind: 'Secret', ref: { name: v.secret.secretName, items: v.secret.items } });
    for (const s of Array.isArray(v.projected?.sources) ? v.projected.sources : []) {
      if (s?.configMap) sources.push({ kind: 'ConfigMap', ref: s.configMap });
      if (s?.secret) sources.push({ kind: 'Secret', ref: s.secret });
    }
    for (const { kind, ref } of sources) {
      if (typeof ref?.name !== 'string') continue;
      const o = find(kind, ref.name);
      if (!o) continue;
      for (const [key, text] of Object.entries(dataOf(o, kind))) {
        // the file name inside the volume: `items` map keys to paths; without items every key is a file
        const item = Array.isArray(ref.items) ? ref.items.find((x: any) => x?.key === key) : undefined;
        if (Array.isArray(ref.items) && item === undefined) continue;
        const fileName = String(item?.path ?? key);
        const sub = typeof vm.subPath === 'string' && vm.subPath !== '' ? vm.subPath : undefined;
        if (sub !== undefined && sub !== fileName) continue;
        const mountedAt = sub !== undefined ? vm.mountPath : `${vm.mountPath.replace(/\/$/, '')}/${fileName}`;
        out.push({ key, text, where: `${kind} ${ref.name} ${key}`, path: `${path}.volumeMounts[${i}]`, fromSecret: kind === 'Secret', mountedAt });
      }
    }
  });
  return out;
}

/** The text of every key of a ConfigMap (data) or Secret (stringData, base64 data decoded). */
function dataOf(o: any, kind: string): { [key: string]: string } {
  const out: { [key: string]: string } = {};
  if (kind === 'Secret') {
    for (const [k, v] of Object.entries(o?.data ?? {})) {
      if (typeof v === 'string') out[k] = Buffer.from(v, 'base64').toString('utf-8');
    }
    for (const [k, v] of Object.entries(o?.stringData ?? {})) if (typeof v === 'string') out[k] = v;
  } else {
    for (const [k, v] of Object.entries(o?.data ?? {})) if (typeof v === 'string') out[k] = v;
  }
  return out;
}

/**
 * Adds the properties of configuration files to a container's SpringProperties: the profile-less files first
 * (bootstrap before application), then the files of the active profiles (`spring.profiles.active` as the
 * container's env/command line or the files themselves set it). YAML documents activated for a profile
 * (`spring.config.activate.on-profile`, `spring.profiles`) count only when that profile is active.
 * @internal
 */
export function addConfigFiles(props: SpringProperties, files: MountedConfigFile[], activeFromContainer?: string): void {
  const parsed = files.map(f => ({ f, profile: SPRING_CONFIG_FILE.exec(f.key.split('/').pop() ?? f.key)?.[2], entries: parse(f) }));
  const plain = parsed.filter(p => p.profile === undefined)
    .sort((a, b) => Number(a.f.key.startsWith('application')) - Number(b.f.key.startsWith('application')));
  const active = new Set(list(activeFromContainer));
  for (const p of plain) for (const e of p.entries) if (e.key === 'spring.profiles.active' && activeFromContainer === undefined) list(e.value).forEach(x => active.add(x));
  const add = (f: MountedConfigFile, entries: Entry[]) => {
    for (const e of entries) {
      if (e.onProfile !== undefined && !list(e.onProfile).some(x => active.has(x.replace(/^!/, '')) !== x.startsWith('!'))) continue;
      props.add(e.key, { value: e.value, where: `${f.where} ${e.key}`, path: f.path, fromSecret: f.fromSecret, unresolved: false });
    }
  };
  for (const p of plain) add(p.f, p.entries);
  for (const p of parsed.filter(x => x.profile !== undefined && active.has(x.profile))) add(p.f, p.entries);
}

interface Entry { readonly key: string; readonly value: string; readonly onProfile?: string }

function list(v: string | undefined): string[] {
  return (v ?? '').split(',').map(x => x.trim()).filter(x => x !== '');
}

function parse(f: MountedConfigFile): Entry[] {
  return /\.properties$/.test(f.key) ? parseProperties(f.text) : parseYaml(f.text);
}

/** A `.properties` file: `key=value`, `key: value` or `key value`; `#`/`!` comments; `\` continues a line. @internal */
export function parseProperties(text: string): Entry[] {
  const out: Entry[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i].replace(/^\s+/, '');
    if (line === '' || line.startsWith('#') || line.startsWith('!')) continue;
    while (/(^|[^\\])(\\\\)*\\$/.test(line) && i + 1 < lines.length) line = line.slice(0, -1) + lines[++i].replace(/^\s+/, '');
    const m = /^((?:\\.|[^=:\s\\])+)\s*(?:[=:]\s*|\s+|$)(.*)$/.exec(line);
    if (!m) continue;
    out.push({ key: m[1].replace(/\\(.)/g, '$1'), value: m[2].trim() });
  }
  return out;
}

/** A YAML file (several documents allowed): flattened to dotted keys (`a.b[0].c`). @internal */
export function parseYaml(text: string): Entry[] {
  const out: Entry[] = [];
  let docs: YAML.Document[];
  try {
    docs = YAML.parseAllDocuments(text) as YAML.Document[];
  } catch {
    return out;
  }
  for (const d of docs) {
    if (d.errors?.length) continue;
    const js = d.toJS();
    if (js === null || typeof js !== 'object' || Array.isArray(js)) continue;
    const flat: Entry[] = [];
    const walk = (prefix: string, v: unknown) => {
      if (Array.isArray(v)) v.forEach((x, i) => walk(`${prefix}[${i}]`, x));
      else if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(prefix ? `${prefix}.${k}` : k, x);
      else if (prefix && v !== null && v !== undefined) flat.push({ key: prefix, value: String(v) });
    };
    walk('', js);
    const on = flat.find(e => e.key === 'spring.config.activate.on-profile' || e.key === 'spring.profiles')?.value;
    for (const e of flat) out.push(on !== undefined ? { ...e, onProfile: on } : e);
  }
  return out;
}
