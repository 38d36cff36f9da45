import { Finding, FindingObject } from '../finding';

/**
 * How the audit judged a workload (an object with a pod template, or a Pod) or a Dockerfile.
 */
export enum WorkloadJudgement {
  /**
   * The application is recognised (a JVM / Spring Boot application, with or without a service registry):
   * the termination rules every serving workload needs (tier 1) and the rules about Spring Boot, the JVM,
   * the registry and the mesh (tier 2).
   */
  APPLICATION = 'application',
  /**
   * It serves traffic but its application is not recognised: only the tier-1 rules (probes, preStop,
   * grace period, rollout, replicas, PodDisruptionBudget, PID 1).
   */
  GENERIC = 'generic',
  /** No rule judges it; `reason` says why. */
  NOT_JUDGED = 'not-judged',
}

/**
 * What the audit made of one workload (or Dockerfile) of its input.
 */
export interface WorkloadClassification {
  /** The workload (kind, name, namespace, file, index), or the Dockerfile (kind `Dockerfile`, its file as name). */
  readonly object: FindingObject;
  /** Which rules judged it. */
  readonly judgement: WorkloadJudgement;
  /**
   * Why: the evidence for `application` and `generic`, the reason for `not-judged`, as one sentence.
   */
  readonly reason: string;
  /**
   * Why the audit takes it for a JVM / Spring Boot application.
   * @default - not recognised as one
   */
  readonly application?: string;
  /**
   * The service registry it registers with (its label, e.g. `Nacos`).
   * @default - none recognised
   */
  readonly registry?: string;
  /**
   * Why it is taken to serve traffic (a container port, a Service selecting its pods, an autoscaler, a registry).
   * @default - it serves no traffic the input shows, or it is not judged for another reason
   */
  readonly serving?: string;
}

/**
 * An audit's findings with what was judged: one classification per workload and per Dockerfile of the input.
 */
export interface AuditReport {
  /** The findings, as `audit()` returns them. */
  readonly findings: Finding[];
  /** Every workload of the input, in input order (file, document, position in a List), then every Dockerfile. */
  readonly workloads: WorkloadClassification[];
}
