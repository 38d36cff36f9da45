import { infraKind } from './app';
import { AppContainer, appsOf, SERVING_KINDS, servingEvidence } from './index';
import { model, ObjectRef, objectOf, unrenderedTemplate, Workload } from './workload';
import { WorkloadClassification, WorkloadJudgement } from '../classification';
import { decidingInstruction, DockerfileModel, dockerfileObject, dockerfiles, shortArgv } from '../dockerfile/model';
import { RuleContext } from '../rule';

/*
 * What the audit makes of every workload of its input: judged as an application (tier 1 + tier 2), judged
 * generically (tier 1 only), or not judged, with the reason. The rules ask through `servesTraffic` (tier 1)
 * and `servesJava` (tier 2), which read this classification, so what the summary says is what the rules did.
 */

/** Kinds with a pod template (or a Pod): what counts as a workload. @internal */
export function workloadKinds(): string[] {
  return [...SERVING_KINDS, 'Job', 'CronJob', 'Pod'];
}

/**
 * One workload's classification, with the model's workload when its pod template could be read. Its texts are
 * not yet redacted (the rules only read the judgement; `auditReport` redacts what it returns).
 * @internal
 */
export interface Classified extends WorkloadClassification {
  readonly w?: Workload;
}

const cache = new WeakMap<RuleContext, Classified[]>();
const byWorkload = new WeakMap<RuleContext, Map<Workload, Classified>>();

/**
 * Every workload of the audit, in input order, each judged as an application, generically, or not at all
 * (with the reason).
 * @internal
 */
export function classify(ctx: RuleContext): Classified[] {
  let list = cache.get(ctx);
  if (list === undefined) {
    list = build(ctx);
    cache.set(ctx, list);
    const m = new Map<Workload, Classified>();
    for (const c of list) if (c.w) m.set(c.w, c);
    byWorkload.set(ctx, m);
  }
  return list;
}

/** The classification of one workload of the model. @internal */
export function classificationOf(ctx: RuleContext, w: Workload): Classified | undefined {
  classify(ctx);
  return byWorkload.get(ctx)!.get(w);
}

function build(ctx: RuleContext): Classified[] {
  const m = model(ctx);
  const workloads = new Map<ObjectRef['object'], Workload>(m.workloads.map(w => [w.object, w]));
  const out: Classified[] = [];
  const kinds = workloadKinds();
  for (const o of m.objects) {
    if (!kinds.includes(o.kind)) {
      const inside = templateWorkloads(o.object);
      if (inside !== undefined) {
        out.push(notJudged(o, undefined, `an OpenShift Template: its ${inside} are objects only once \`oc process\` has substituted its `
          + 'parameters; process it and audit the output (`oc process -f <file> --local -o yaml | cdk8s-graceful audit -`)'));
        continue;
      }
      const template = foreignPodTemplate(o.object);
      if (template !== undefined) out.push(notJudged(o, undefined, foreignReason(o, template)));
      continue;
    }
    const w = workloads.get(o.object);
    if (w === undefined) {
      const templated = unrenderedTemplate(o);
      const ref = workloadRef(o, m.objects);
      out.push(notJudged(o, undefined, templated !== undefined
        ? `its ${templated} is an unrendered Helm template: the values it will have are not known; render it first (\`helm template …\`) and audit the output`
        : ref ?? `its pod template cannot be read (missing, templated or not a mapping): fix or render the ${o.kind} first`));
      continue;
    }
    out.push(judge(ctx, w));
  }
  for (const d of dockerfiles(ctx)) out.push(judgeDockerfile(d));
  return out;
}

/**
 * A Dockerfile's classification: judged as a JVM image (every Dockerfile rule, PID 1 included) when it shows a JVM,
 * judged generically (the rules that hold for any image: CMD ignored, sleep before exec, `sh -c` arguments) when it
 * does not, not judged when its final stage runs nothing it shows.
 */
function judgeDockerfile(d: DockerfileModel): Classified {
  const object = dockerfileObject(d.df);
  const f = d.final;
  if (f === undefined) {
    return { object, judgement: WorkloadJudgement.NOT_JUDGED, reason: 'no FROM instruction: there is no image to judge' };
  }
  if (f.argv === undefined || f.argv.length === 0) {
    return {
      object,
      judgement: WorkloadJudgement.NOT_JUDGED,
      reason: `its final stage (FROM ${f.baseImage}) has no ENTRYPOINT or CMD: the base image's decides what runs as PID 1, which the file does not show`,
    };
  }
  const ins = decidingInstruction(f)!;
  const runs = `it runs ${shortArgv(f.argv)} (${ins.instruction.keyword}, line ${ins.instruction.line})`;
  if (d.jvm === undefined) {
    return {
      object,
      judgement: WorkloadJudgement.GENERIC,
      reason: `${runs}; no sign of a JVM (java in ENTRYPOINT/CMD or its script, a JDK base image, ENV JAVA_*/SPRING_*): `
        + 'the rules for any image only, not the PID 1 rules',
    };
  }
  return { object, judgement: WorkloadJudgement.APPLICATION, reason: `JVM image (${d.jvm}); ${runs}`, application: d.jvm };
}

/**
 * Where an object of a kind the audit does not know holds a pod template with containers (a Knative Service,
 * an OpenKruise CloneSet, a KEDA ScaledJob …), or undefined: such an object runs pods too, so it is listed as
 * not judged rather than left out of the summary.
 */
function foreignPodTemplate(object: any): string | undefined {
  const at = (path: string[]) => path.reduce((x: any, k) => (x && typeof x === 'object' ? x[k] : undefined), object);
  for (const path of [['spec', 'template'], ['spec', 'jobTemplate', 'spec', 'template']]) {
    if (Array.isArray(at([...path, 'spec', 'containers']))) return path.join('.');
  }
  return undefined;
}

/**
 * The workloads an OpenShift `Template` holds in `objects` (`StatefulSet nacos, Deployment mysql`), or undefined when it
 * is not one or holds none: they are not objects of the input until the template is processed.
 */
function templateWorkloads(object: any): string | undefined {
  if (object?.kind !== 'Template' || !Array.isArray(object.objects)) return undefined;
  const kinds = workloadKinds();
  const names = object.objects
    .filter((x: any) => x && typeof x === 'object' && kinds.includes(x.kind))
    .map((x: any) => `${x.kind} ${typeof x.metadata?.name === 'string' ? x.metadata.name : '<unnamed>'}`);
  return names.length > 0 ? `workloads (${names.join(', ')})` : undefined;
}

function foreignReason(o: ObjectRef, template: string): string {
  const api = typeof o.object.apiVersion === 'string' ? ` (${o.object.apiVersion})` : '';
  return `a ${o.kind}${api} runs pods from its ${template}, but it is not a kind the audit knows how its pods are stopped and rolled out `
    + `(${workloadKinds().join(', ')}): its containers are not judged`;
}

/**
 * For an Argo Rollout without a template of its own that names its pod template in `spec.workloadRef`: the reason
 * it is not judged (its pods are the referenced Deployment's template, judged there when the input holds it), or
 * undefined.
 */
function workloadRef(o: ObjectRef, objects: readonly ObjectRef[]): string | undefined {
  const ref = o.kind === 'Rollout' && o.object?.spec?.template === undefined ? o.object?.spec?.workloadRef : undefined;
  if (!ref || typeof ref !== 'object' || typeof ref.kind !== 'string' || typeof ref.name !== 'string') return undefined;
  const found = objects.some(x => x.kind === ref.kind && x.name === ref.name && x.namespace === o.namespace);
  return `its pod template is ${ref.kind} ${ref.name}'s (spec.workloadRef): `
    + (found ? `that ${ref.kind} of the input is judged on its own (with its own spec.replicas, which the Rollout overrides)`
      : `that ${ref.kind} is not in the input: audit it together with this Rollout`);
}

function notJudged(o: ObjectRef, w: Workload | undefined, reason: string): Classified {
  return { object: objectOf(o), judgement: WorkloadJudgement.NOT_JUDGED, reason, w };
}

function judge(ctx: RuleContext, w: Workload): Classified {
  if (!w.longRunning) {
    return notJudged(w, w, `a ${w.kind} runs to completion: it takes no traffic to drain and is not rolled out`);
  }
  if (w.kind === 'Pod') {
    return notJudged(w, w, 'a bare Pod: no controller replaces it or rolls it out; the rules judge the Deployment, StatefulSet or other '
      + 'controller that owns such pods (audit that instead)');
  }
  if (w.containers.length === 0) return notJudged(w, w, 'its pod template has no containers');
  const infra = w.containers.map(c => ({ c, what: infraKind(c.image) }));
  if (infra.every(x => x.what !== undefined)) {
    const first = infra[0];
    const ports = w.containers.some(c => c.ports.length > 0) ? ', even with its container port' : '';
    return notJudged(w, w, `infrastructure: image ${first.c.image} is ${first.what}${infra.length > 1 ? ' (and every other container is infrastructure too)' : ''}; `
      + `the audit judges the applications that use such servers, not the servers themselves${ports}`);
  }
  const serving = servingEvidence(ctx, w);
  if (serving === undefined) {
    const jvm = appsOf(ctx, w).find(a => !a.c.init && a.jvm !== undefined);
    return notJudged(w, w, `${jvm ? `a JVM application (${cname(jvm)}: ${jvm.jvm}) that ` : ''}serves no traffic the input shows: no container port, `
      + 'no Service of the input selects its pods, no HorizontalPodAutoscaler targets it, no service registry is configured');
  }
  const apps = appsOf(ctx, w).filter(a => !a.c.init && infraKind(a.c.image) === undefined);
  const jvm = apps.find(a => a.jvm !== undefined);
  const reg = apps.find(a => a.registry !== undefined);
  if (jvm === undefined && reg === undefined) {
    return {
      object: objectOf(w),
      judgement: WorkloadJudgement.GENERIC,
      reason: `serves traffic (${serving}); its application is not recognised (no JVM or Spring Boot sign in image, command, env, `
        + 'probes or configuration): tier-1 rules only',
      serving,
      w,
    };
  }
  const application = jvm ? `${cname(jvm)}: ${jvm.jvm}` : undefined;
  const registry = reg ? `${reg.registry!.module.label} (${cname(reg)}: ${reg.registry!.evidence})` : undefined;
  return {
    object: objectOf(w),
    judgement: WorkloadJudgement.APPLICATION,
    reason: [application ? `Spring/JVM (${application})` : undefined, registry ? `registers with ${registry}` : undefined]
      .filter(x => x !== undefined).join('; ') + `; serves traffic (${serving})`,
    ...(application ? { application } : {}),
    ...(reg ? { registry: reg.registry!.module.label } : {}),
    serving,
    w,
  };
}

function cname(a: AppContainer): string {
  return `container '${a.c.name}'`;
}
