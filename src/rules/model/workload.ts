import { addConfigFiles, mountedFiles, SPRING_CONFIG_FILE } from './config-files';
import { collectJson, collectTokens, SpringProperties } from './properties';
import { FindingObject } from '../../finding';
import { REGISTRY_MODULES } from '../../registry/all';
import { springEnvName } from '../../spring/env';
import { AuditDocument, RuleContext } from '../rule';

/*
 * The objects the rules look at, read once per audit: workloads with their pod template and containers,
 * and the other objects (Services, PodDisruptionBudgets, HPAs, ConfigMaps) a rule may look across.
 */

/**
 * The cross-object comparisons the audits of this process made (selector checks, lookup candidates, collision
 * scan steps): the scaling test proves them linear in the number of objects.
 * @internal
 */
export const comparisons = { count: 0 };

/** Kubernetes' default terminationGracePeriodSeconds. @internal */
export const DEFAULT_GRACE_SECONDS = 30;

/** An object of the input, with where it came from. @internal */
export interface ObjectRef {
  readonly doc: AuditDocument;
  readonly object: any;
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
  /** `''`, or `items[3].` for an object inside a List. */
  readonly prefix: string;
}

/** A container of a workload's pod template. @internal */
export interface ContainerRef {
  readonly c: any;
  readonly index: number;
  /** JSON path of the container, e.g. `spec.template.spec.containers[0]`. */
  readonly path: string;
  readonly name: string;
  readonly image: string;
  readonly init: boolean;
  /** Literal env values by name (what a shell in the container sees as $NAME). */
  readonly env: Map<string, ManifestEnvVar>;
  readonly props: SpringProperties;
  /** command followed by args, when the manifest gives them (strings only; others shown as JSON). */
  readonly argv?: string[];
  readonly ports: any[];
  /** Files mounted from ConfigMaps of the input, by their path in the container (e.g. an entrypoint script). */
  readonly scripts: Map<string, { readonly text: string; readonly where: string }>;
}

/** @internal */
export interface ManifestEnvVar {
  readonly name: string;
  readonly value?: string;
  readonly fromSecret: boolean;
  readonly unresolved: boolean;
  readonly path: string;
}

/** A workload: something with a pod template. @internal */
export interface Workload extends ObjectRef {
  readonly podSpec: any;
  /** e.g. `spec.template.spec` (with the List prefix). */
  readonly podPath: string;
  readonly podMeta: any;
  readonly podMetaPath: string;
  /** Deployments, StatefulSets, DaemonSets, ReplicaSets, Pods: not Jobs and CronJobs (they run to completion). */
  readonly longRunning: boolean;
  readonly grace: number;
  readonly graceGiven: boolean;
  readonly gracePath: string;
  readonly containers: ContainerRef[];
  readonly initContainers: ContainerRef[];
  readonly labels: { [k: string]: string };
}

/** Everything the rules need about one audit. @internal */
export interface Model {
  readonly objects: ObjectRef[];
  readonly workloads: Workload[];
  /** The objects of one kind. */
  readonly ofKind: (kind: string) => ObjectRef[];
  /** The lookups across objects, built once per audit (see {@link servicesSelecting}, {@link hpaFor}, …). */
  readonly index: ModelIndex;
}

/**
 * Objects indexed once per audit, so that a rule asking about every workload stays linear in the number of
 * objects: by namespace, kind and name, and by selector label.
 * @internal
 */
export interface ModelIndex {
  /** The position of each object in the input (results come back in input order). */
  readonly position: Map<ObjectRef, number>;
  /** `kind\0namespace\0name` → the ConfigMaps and Secrets of that kind, namespace (`''`: none given) and name, in input order. */
  readonly named: Map<string, ObjectRef[]>;
  /** `namespace\0kind\0name` of the target → the HorizontalPodAutoscalers scaling it, in input order. */
  readonly hpas: Map<string, ObjectRef[]>;
  /** name → the Namespace objects with that name, in input order. */
  readonly namespaces: Map<string, ObjectRef[]>;
  readonly services: SelectorIndex;
  readonly pdbs: SelectorIndex;
}

/** Objects with a label selector, looked up by the labels they might select. @internal */
export interface SelectorIndex {
  /** namespace → the objects of that namespace (`''`: none given), in input order. */
  readonly byNamespace: Map<string, ObjectRef[]>;
  /** `namespace\0key\0value` → the objects whose selector requires that label (the least common of theirs). */
  readonly byLabel: Map<string, ObjectRef[]>;
  /** namespace → the objects whose selector requires no plain label (checked against every workload). */
  readonly unkeyed: Map<string, ObjectRef[]>;
}

const cache = new WeakMap<RuleContext, Model>();

/** The model of an audit (built once per RuleContext). @internal */
export function model(ctx: RuleContext): Model {
  let m = cache.get(ctx);
  if (m === undefined) {
    m = build(ctx);
    cache.set(ctx, m);
  }
  return m;
}

/** The finding object of an object. @internal */
export function objectOf(o: ObjectRef): FindingObject {
  return { kind: o.kind, name: o.name, namespace: o.namespace, file: o.doc.file, index: o.doc.index };
}

/** A printable string, `<templated>` for what a template engine left as a YAML mapping. @internal */
export function str(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

function build(ctx: RuleContext): Model {
  const objects: ObjectRef[] = [];
  for (const doc of ctx.documents) {
    const o = doc.object;
    if (o === null || typeof o !== 'object' || Array.isArray(o)) continue;
    if (o.kind === 'List' && Array.isArray(o.items)) {
      o.items.forEach((item: any, i: number) => {
        if (item && typeof item === 'object') objects.push(ref(doc, item, `items[${i}].`));
      });
    } else {
      objects.push(ref(doc, o, ''));
    }
  }
  const byKind = new Map<string, ObjectRef[]>();
  for (const o of objects) {
    const list = byKind.get(o.kind) ?? [];
    list.push(o);
    byKind.set(o.kind, list);
  }
  const ofKind = (kind: string) => byKind.get(kind) ?? [];
  const position = new Map<ObjectRef, number>();
  objects.forEach((o, i) => position.set(o, i));
  const named = groupBy([...ofKind('ConfigMap'), ...ofKind('Secret')], o => `${o.kind}\0${nsOf(o)}\0${o.name}`);
  const findNamed: NamedLookup = (kind, namespace, name) => lookupNamed(named, position, kind, namespace, name);
  const workloads: Workload[] = [];
  for (const o of objects) {
    const w = workload(o, findNamed);
    if (w) workloads.push(w);
  }
  const hpas = groupBy(ofKind('HorizontalPodAutoscaler'), h => {
    const target = h.object?.spec?.scaleTargetRef;
    return `${nsOf(h)}\0${str(target?.kind) ?? ''}\0${str(target?.name) ?? ''}`;
  });
  const carriers = labelCarriers(workloads);
  const index: ModelIndex = {
    position,
    named,
    hpas,
    namespaces: groupBy(ofKind('Namespace'), o => o.name),
    // a Service without selector entries selects nothing; a PodDisruptionBudget without a selector object selects nothing
    services: selectorIndex(ofKind('Service'), o => plainLabels(o.object?.spec?.selector), carriers,
      o => !isMap(o.object?.spec?.selector) || Object.keys(o.object.spec.selector).length === 0),
    pdbs: selectorIndex(ofKind('PodDisruptionBudget'), o => plainLabels(o.object?.spec?.selector?.matchLabels), carriers,
      o => !o.object?.spec?.selector || typeof o.object.spec.selector !== 'object'),
  };
  return { objects, workloads, ofKind, index };
}

/** An object's namespace for lookups: `''` when none is given. */
function nsOf(o: { namespace?: string }): string {
  return o.namespace ?? '';
}

function groupBy(list: ObjectRef[], key: (o: ObjectRef) => string): Map<string, ObjectRef[]> {
  const map = new Map<string, ObjectRef[]>();
  for (const o of list) {
    const k = key(o);
    const same = map.get(k);
    if (same) same.push(o);
    else map.set(k, [o]);
  }
  return map;
}

function isMap(x: unknown): boolean {
  return x !== null && typeof x === 'object' && !Array.isArray(x);
}

/** The label pairs a selector map requires (only plain string values; a templated value is not a key). */
function plainLabels(selector: any): [string, string][] {
  if (!selector || typeof selector !== 'object' || Array.isArray(selector)) return [];
  const out: [string, string][] = [];
  for (const [k, v] of Object.entries(selector)) {
    const s = str(v);
    if (s !== undefined) out.push([k, s]);
  }
  return out;
}

/** `namespace\0key\0value` → how many workloads' pods carry that label. */
function labelCarriers(workloads: Workload[]): Map<string, number> {
  const carriers = new Map<string, number>();
  for (const w of workloads) {
    for (const [k, v] of Object.entries(w.labels)) {
      const key = `${nsOf(w)}\0${k}\0${v}`;
      carriers.set(key, (carriers.get(key) ?? 0) + 1);
    }
  }
  return carriers;
}

/**
 * Indexes objects with selectors under one label their selector requires: the one fewest workloads carry, so a
 * workload meets only the objects that may select it (each is still checked with {@link selects}).
 */
function selectorIndex(list: ObjectRef[], required: (o: ObjectRef) => [string, string][], carriers: Map<string, number>,
  selectsNothing: (o: ObjectRef) => boolean): SelectorIndex {
  const byLabel = new Map<string, ObjectRef[]>();
  const unkeyed = new Map<string, ObjectRef[]>();
  for (const o of list) {
    if (selectsNothing(o)) continue;
    let best: string | undefined;
    let bestCount = Infinity;
    for (const [k, v] of required(o)) {
      const key = `${nsOf(o)}\0${k}\0${v}`;
      const count = carriers.get(key) ?? 0;
      if (count < bestCount) {
        best = key;
        bestCount = count;
      }
    }
    const map = best === undefined ? unkeyed : byLabel;
    const key = best ?? nsOf(o);
    const same = map.get(key);
    if (same) same.push(o);
    else map.set(key, [o]);
  }
  return { byNamespace: groupBy(list, nsOf), byLabel, unkeyed };
}

/** The objects of a selector index that may select a workload's pods, in input order (not yet checked). */
function candidates(m: Model, idx: SelectorIndex, w: Workload): ObjectRef[] {
  const ns = nsOf(w);
  const found: ObjectRef[] = (idx.unkeyed.get(ns) ?? []).slice();
  for (const [k, v] of Object.entries(w.labels)) {
    const list = idx.byLabel.get(`${ns}\0${k}\0${v}`);
    if (list) for (const o of list) found.push(o);
  }
  if (found.length > 1) found.sort((a, b) => m.index.position.get(a)! - m.index.position.get(b)!);
  return found;
}

/** The Services of the workload's namespace whose selector selects its pods, in input order. @internal */
export function servicesSelecting(m: Model, w: Workload): ObjectRef[] {
  return candidates(m, m.index.services, w).filter(s => selects(s.object?.spec?.selector, w.labels, true));
}

/** The PodDisruptionBudgets of the workload's namespace whose selector selects its pods, in input order. @internal */
export function pdbsSelecting(m: Model, w: Workload): ObjectRef[] {
  return candidates(m, m.index.pdbs, w).filter(p => selects(p.object?.spec?.selector, w.labels));
}

/** The PodDisruptionBudgets of a namespace (`undefined`: none given), in input order. @internal */
export function pdbsIn(m: Model, namespace: string | undefined): ObjectRef[] {
  return m.index.pdbs.byNamespace.get(namespace ?? '') ?? [];
}

/** The first HorizontalPodAutoscaler of the input whose scaleTargetRef is this workload (same namespace). @internal */
export function hpaFor(m: Model, w: Workload): ObjectRef | undefined {
  return m.index.hpas.get(`${nsOf(w)}\0${w.kind}\0${w.name}`)?.[0];
}

/** The first ConfigMap named `name` a pod in `namespace` can read (one without a namespace counts as its own). @internal */
export function configMap(m: Model, namespace: string | undefined, name: string): ObjectRef | undefined {
  return lookupNamed(m.index.named, m.index.position, 'ConfigMap', namespace, name);
}

/** The first Namespace object of the input with this name. @internal */
export function namespaceObject(m: Model, name: string): ObjectRef | undefined {
  return m.index.namespaces.get(name)?.[0];
}

/** A ConfigMap or Secret by kind, the pod's namespace and name. */
type NamedLookup = (kind: string, namespace: string | undefined, name: unknown) => ObjectRef | undefined;

function lookupNamed(named: Map<string, ObjectRef[]>, position: Map<ObjectRef, number>, kind: string, namespace: string | undefined,
  name: unknown): ObjectRef | undefined {
  if (typeof name !== 'string') return undefined;
  const own = named.get(`${kind}\0${namespace ?? ''}\0${name}`)?.[0];
  const unset = namespace === undefined ? undefined : named.get(`${kind}\0\0${name}`)?.find(o => o.namespace === undefined);
  if (own === undefined || unset === undefined) return own ?? unset;
  return position.get(own)! <= position.get(unset)! ? own : unset;
}


function ref(doc: AuditDocument, object: any, prefix: string): ObjectRef {
  return {
    doc,
    object,
    kind: str(object.kind) ?? '<unknown kind>',
    name: str(object.metadata?.name) ?? '<unnamed>',
    namespace: str(object.metadata?.namespace),
    prefix,
  };
}

const POD_TEMPLATES: { [kind: string]: { spec: string[]; longRunning: boolean } } = {
  Deployment: { spec: ['spec', 'template'], longRunning: true },
  StatefulSet: { spec: ['spec', 'template'], longRunning: true },
  DaemonSet: { spec: ['spec', 'template'], longRunning: true },
  ReplicaSet: { spec: ['spec', 'template'], longRunning: true },
  ReplicationController: { spec: ['spec', 'template'], longRunning: true },
  DeploymentConfig: { spec: ['spec', 'template'], longRunning: true },
  Rollout: { spec: ['spec', 'template'], longRunning: true },
  Job: { spec: ['spec', 'template'], longRunning: false },
  CronJob: { spec: ['spec', 'jobTemplate', 'spec', 'template'], longRunning: false },
};

/**
 * A Helm template action (`{{ .Values.x }}`, `{{- if … }}`, `{{ include … }}`, `{{ $x }}`), not a bare CI placeholder
 * (`{{IMAGE}}`) nor another tool's Go template that reads its own fields (`{{.Name}}` in a `--format` argument).
 */
const TEMPLATE_ACTION = /\{\{-?\s*(\.(Values|Release|Chart|Capabilities|Files|Template)\b|\$|if\s|else\b|end\b|range\s|include\s|template\s|toYaml\b|with\s|default\s|required\s|tpl\s|printf\s)/;

/**
 * The path of the first value of a workload's spec (outside its pod template's metadata, whose annotations may
 * legitimately hold templates for other tools) that is an unrendered Helm template, or undefined. It parsed
 * because the template sits inside a quoted string (`image: "{{ .Values.image }}"`, `replicas: "{{ … }}"`); read as
 * text it would be judged as an image, a port or a duration it is not, so the workload counts as unreadable.
 * @internal
 */
export function unrenderedTemplate(o: ObjectRef): string | undefined {
  const t = POD_TEMPLATES[o.kind];
  if (t === undefined && o.kind !== 'Pod') return undefined;
  const skip = t === undefined ? undefined : [...t.spec, 'metadata'];
  const at = templatedAt(o.object?.spec, ['spec'], skip);
  return at === undefined ? undefined : at.slice(1).reduce((p: string, k) => (typeof k === 'number' ? `${p}[${k}]` : `${p}.${k}`), 'spec');
}

/* Depth first, the path built only for the value found (every workload of an audit is walked). */
function templatedAt(v: unknown, path: (string | number)[], skip: readonly string[] | undefined): (string | number)[] | undefined {
  if (typeof v === 'string') return v.includes('{{') && TEMPLATE_ACTION.test(v) ? path : undefined;
  if (v === null || typeof v !== 'object') return undefined;
  if (skip !== undefined && path.length === skip.length && path.every((k, i) => k === skip[i])) return undefined;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      path.push(i);
      if (templatedAt(v[i], path, skip) !== undefined) return path;
      path.pop();
    }
    return undefined;
  }
  for (const k in v) {
    path.push(k);
    if (templatedAt((v as any)[k], path, skip) !== undefined) return path;
    path.pop();
  }
  return undefined;
}

function workload(o: ObjectRef, named: NamedLookup): Workload | undefined {
  let template: any;
  let templatePath: string;
  let longRunning: boolean;
  if (o.kind === 'Pod') {
    template = { metadata: o.object.metadata, spec: o.object.spec };
    templatePath = '';
    longRunning = true;
  } else {
    const t = POD_TEMPLATES[o.kind];
    if (t === undefined) return undefined;
    template = t.spec.reduce((x: any, k) => (x && typeof x === 'object' ? x[k] : undefined), o.object);
    templatePath = t.spec.join('.');
    longRunning = t.longRunning;
  }
  const podSpec = template?.spec;
  if (!podSpec || typeof podSpec !== 'object') return undefined;
  if (unrenderedTemplate(o) !== undefined) return undefined;
  const podPath = o.prefix + (templatePath ? `${templatePath}.spec` : 'spec');
  const podMetaPath = o.prefix + (templatePath ? `${templatePath}.metadata` : 'metadata');
  const graceRaw = podSpec.terminationGracePeriodSeconds;
  const graceGiven = typeof graceRaw === 'number' && Number.isFinite(graceRaw);
  const namespace = o.namespace;
  const containers = (Array.isArray(podSpec.containers) ? podSpec.containers : [])
    .map((c: any, i: number) => container(c, i, `${podPath}.containers[${i}]`, false, named, namespace, podSpec))
    .filter((c: ContainerRef | undefined): c is ContainerRef => c !== undefined);
  const initContainers = (Array.isArray(podSpec.initContainers) ? podSpec.initContainers : [])
    .map((c: any, i: number) => container(c, i, `${podPath}.initContainers[${i}]`, true, named, namespace, podSpec))
    .filter((c: ContainerRef | undefined): c is ContainerRef => c !== undefined);
  const labels: { [k: string]: string } = {};
  const given = template?.metadata?.labels;
  if (given && typeof given === 'object') {
    for (const k of Object.keys(given)) {
      const s = str(given[k]);
      if (s !== undefined) labels[k] = s;
    }
  }
  return {
    doc: o.doc,
    object: o.object,
    kind: o.kind,
    name: o.name,
    namespace: o.namespace,
    prefix: o.prefix,
    podSpec,
    podPath,
    podMeta: template?.metadata ?? {},
    podMetaPath,
    longRunning,
    grace: graceGiven ? graceRaw : DEFAULT_GRACE_SECONDS,
    graceGiven,
    gracePath: `${podPath}.terminationGracePeriodSeconds`,
    containers,
    initContainers,
    labels,
  };
}

function container(c: any, index: number, path: string, init: boolean, named: NamedLookup, namespace?: string,
  podSpec?: any): ContainerRef | undefined {
  if (!c || typeof c !== 'object') return undefined;
  const env = new Map<string, ManifestEnvVar>();
  const props = new SpringProperties();
  props.knowKeys(knownKeys());
  const find = (kind: string, name: string) => named(kind, namespace, name)?.object;
  // Spring configuration files mounted from ConfigMaps / Secrets of the input: below env and command line
  const mounted = mountedFiles(c, path, podSpec, find);
  const files = mounted.filter(f => SPRING_CONFIG_FILE.test(f.mountedAt.split('/').pop() ?? '') && configLocationReads(c, f.mountedAt));
  // scripts the container can run, from ConfigMaps of the input (not Secrets: their text is never shown)
  const scripts = new Map<string, { readonly text: string; readonly where: string }>();
  for (const f of mounted) if (!f.fromSecret) scripts.set(f.mountedAt, { text: f.text, where: f.where });
  if (files.length > 0) addConfigFiles(props, files, containerSetting(c, 'spring.profiles.active'));
  // envFrom first: explicit env entries win
  (Array.isArray(c.envFrom) ? c.envFrom : []).forEach((from: any, i: number) => {
    const p = `${path}.envFrom[${i}]`;
    const prefix = str(from?.prefix) ?? '';
    if (from?.configMapRef?.name) {
      const cm = named('ConfigMap', namespace, from.configMapRef.name);
      for (const [k, v] of Object.entries(cm?.object?.data ?? {})) {
        const value = str(v);
        const name = prefix + k;
        env.set(name, { name, value, fromSecret: false, unresolved: value === undefined, path: p });
        props.add(name, { value: value ?? '', where: `envFrom ConfigMap ${cm!.name} ${k}`, path: p, fromSecret: false, unresolved: value === undefined, envName: name });
      }
    }
    if (from?.secretRef?.name) {
      const secret = named('Secret', namespace, from.secretRef.name);
      const data: [string, string | undefined][] = [
        ...Object.entries(secret?.object?.data ?? {}).map(([k, v]): [string, string | undefined] => [k, typeof v === 'string' ? Buffer.from(v, 'base64').toString('utf-8') : undefined]),
        ...Object.entries(secret?.object?.stringData ?? {}).map(([k, v]): [string, string | undefined] => [k, str(v)]),
      ];
      for (const [k, value] of data) {
        const name = prefix + k;
        env.set(name, { name, value, fromSecret: true, unresolved: value === undefined, path: p });
        props.add(name, { value: value ?? '', where: `envFrom Secret ${secret!.name} ${k}`, path: p, fromSecret: true, unresolved: value === undefined, envName: name });
      }
    }
  });
  (Array.isArray(c.env) ? c.env : []).forEach((e: any, i: number) => {
    const name = str(e?.name);
    if (name === undefined) return;
    const p = `${path}.env[${i}]`;
    const literal = str(e.value);
    const fromSecret = e.valueFrom?.secretKeyRef !== undefined;
    // a configMapKeyRef to a ConfigMap of the input is resolved; other references are not shown by the input
    const cmRef = e.valueFrom?.configMapKeyRef;
    const cmValue = cmRef?.name ? str(find('ConfigMap', cmRef.name)?.data?.[cmRef.key]) : undefined;
    const unresolved = e.valueFrom !== undefined && cmValue === undefined;
    const value = literal !== undefined ? expandRefs(literal, env) : cmValue !== undefined ? cmValue : unresolved ? undefined : '';
    env.set(name, { name, value, fromSecret, unresolved, path: `${p}${literal !== undefined ? '.value' : ''}` });
    props.add(name, { value: value ?? '', where: `env ${name}`, path: `${p}${literal !== undefined ? '.value' : ''}`, fromSecret, unresolved, envName: name });
  });
  for (const [name, e] of env) {
    if (e.value === undefined) continue;
    if (name === 'SPRING_APPLICATION_JSON') collectJson(props, e.value, e.path, e.fromSecret);
    else collectTokens(props, e.value, `env ${name}`, e.path, e.fromSecret);
  }
  let argv: string[] | undefined;
  for (const field of ARGV_FIELDS) {
    const list = c[field];
    if (!Array.isArray(list)) continue;
    argv ??= [];
    for (let i = 0; i < list.length; i++) {
      const a = list[i];
      if (typeof a === 'string') {
        const expanded = expandRefs(a, env);
        argv.push(expanded);
        collectTokens(props, expanded, field, `${path}.${field}[${i}]`);
      } else {
        argv.push(JSON.stringify(a));
      }
    }
  }
  return {
    c,
    index,
    path,
    name: str(c.name) ?? `#${index}`,
    image: str(c.image) ?? '',
    init,
    env,
    props,
    argv,
    ports: Array.isArray(c.ports) ? c.ports : [],
    scripts,
  };
}

let known: string[] | undefined;
/** Property names the registry modules compare exactly (their legacy env spelling is reported canonically). */
function knownKeys(): string[] {
  known ??= REGISTRY_MODULES.flatMap(m => [...(m.audit.recognition?.includeKeys ?? []), ...(m.audit.recognition?.disabledBy ?? [])]);
  return known;
}

/** A Spring property as the container's literal env or command line sets it (read before the files are). */
function containerSetting(c: any, key: string): string | undefined {
  const words = [...(Array.isArray(c.command) ? c.command : []), ...(Array.isArray(c.args) ? c.args : [])].filter(a => typeof a === 'string');
  const escaped = key.replace(/[.]/g, '\\.');
  const flag = new RegExp(`(?:^|\\s)(?:-D|--)${escaped}=([^\\s"']+)`);
  for (let i = words.length - 1; i >= 0; i--) {
    const m = flag.exec(words[i]);
    if (m) return m[1];
  }
  for (const e of Array.isArray(c.env) ? c.env : []) {
    if (typeof e?.name === 'string' && springEnvName(e.name) === springEnvName(key) && typeof e.value === 'string') return e.value;
  }
  return undefined;
}

/**
 * Whether Spring reads a file mounted at `mountedAt`, as far as the container shows: `spring.config.location`
 * replaces the default locations, so when it is set, only a file it names (or one in a directory it names) is
 * read, unless `spring.config.additional-location` or `spring.config.import` names it. Without them, any mount
 * is taken as read (Spring's defaults include `./config/` and `./` relative to a working directory the manifest
 * need not show).
 */
function configLocationReads(c: any, mountedAt: string): boolean {
  const location = containerSetting(c, 'spring.config.location');
  if (location === undefined) return true;
  const named = [location, containerSetting(c, 'spring.config.additional-location'), containerSetting(c, 'spring.config.import')]
    .flatMap(v => (v ?? '').split(/[,;]/))
    .map(x => x.trim().replace(/^optional:/, '').replace(/^file:/, ''))
    .filter(x => x !== '');
  return named.some(x => x === mountedAt || (x.endsWith('/') && mountedAt.startsWith(x)) || mountedAt.startsWith(`${x}/`));
}

/** The container fields whose strings make its argv, in order. */
const ARGV_FIELDS = ['command', 'args'] as const;

/** Kubernetes' `$(VAR)` expansion in command, args and env values (`$$(VAR)` escapes). */
function expandRefs(s: string, env: Map<string, ManifestEnvVar>): string {
  if (!s.includes('$')) return s;
  return s.replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (m, name) => {
    if (m === '$$') return '$';
    const v = env.get(name)?.value;
    return v !== undefined ? v : m;
  });
}

/** The effective replica count of a workload (HorizontalPodAutoscaler minReplicas when it targets it). @internal */
export function replicas(w: Workload, m: Model): { count: number; source: string; path: string } | undefined {
  // several rules ask about every workload: the answer is kept per workload (the model does not change)
  let byWorkload = replicaAnswers.get(m);
  if (byWorkload === undefined) replicaAnswers.set(m, byWorkload = new Map());
  if (byWorkload.has(w)) return byWorkload.get(w);
  const answer = replicasOf(w, m);
  byWorkload.set(w, answer);
  return answer;
}

const replicaAnswers = new WeakMap<Model, Map<Workload, { count: number; source: string; path: string } | undefined>>();
const REPLICATED_KINDS = ['Deployment', 'StatefulSet', 'ReplicaSet', 'ReplicationController', 'DeploymentConfig', 'Rollout'];

function replicasOf(w: Workload, m: Model): { count: number; source: string; path: string } | undefined {
  if (!REPLICATED_KINDS.includes(w.kind)) return undefined;
  const hpa = hpaFor(m, w);
  if (hpa) {
    const min = hpa.object.spec.minReplicas;
    return typeof min === 'number'
      ? { count: min, source: `HorizontalPodAutoscaler ${hpa.name} minReplicas ${min}`, path: `${w.prefix}spec.replicas` }
      : { count: 1, source: `HorizontalPodAutoscaler ${hpa.name} without minReplicas (default 1)`, path: `${w.prefix}spec.replicas` };
  }
  const r = w.object?.spec?.replicas;
  if (r === undefined || r === null) return { count: 1, source: 'spec.replicas not set (default 1)', path: `${w.prefix}spec.replicas` };
  if (typeof r !== 'number') return undefined; // templated
  return { count: r, source: `spec.replicas ${r}`, path: `${w.prefix}spec.replicas` };
}

/** Whether a label selector (matchLabels / matchExpressions, or a plain map for Services) selects these labels. @internal */
export function selects(selector: any, labels: { [k: string]: string }, plainMap = false): boolean {
  comparisons.count++;
  if (!selector || typeof selector !== 'object') return false;
  const matchLabels = plainMap ? selector : selector.matchLabels ?? {};
  const expressions = plainMap ? [] : Array.isArray(selector.matchExpressions) ? selector.matchExpressions : [];
  if (Object.keys(matchLabels).length === 0 && expressions.length === 0) return !plainMap; // empty PDB selector selects all
  for (const [k, v] of Object.entries(matchLabels)) {
    if (labels[k] !== str(v)) return false;
  }
  for (const e of expressions) {
    const has = Object.prototype.hasOwnProperty.call(labels, e?.key);
    const values: string[] = Array.isArray(e?.values) ? e.values.map(String) : [];
    switch (e?.operator) {
      case 'In': if (!has || !values.includes(labels[e.key])) return false; break;
      case 'NotIn': if (has && values.includes(labels[e.key])) return false; break;
      case 'Exists': if (!has) return false; break;
      case 'DoesNotExist': if (has) return false; break;
      default: return false;
    }
  }
  return true;
}
