/*
 * What a specialised construct contributes to the workload plan: GracefulJavaService's Spring Boot / JVM
 * profile (startup budget, managed env, actuator port, shutdown trigger). Typed and internal: it never
 * appears in the public props.
 */
import { Duration } from 'cdk8s';
import { Finding } from '../finding';
import { HttpCall } from '../registry/adapter';
import { PROBE_FAILURE_THRESHOLD, PROBE_PERIOD_SECONDS } from '../rollout';
import { ShutdownBudget } from '../shutdown/budget';
import { ManagedVariable } from '../spring/env';

/**
 * A call the preStop hook makes after the wait (the shutdown trigger), the actuator endpoint it needs and
 * the env that enables that endpoint.
 * @internal
 */
export interface AfterCall {
  readonly call: HttpCall;
  readonly actuatorEndpoint: string;
  readonly env: ManagedVariable[];
}

/**
 * The profile of a kind of workload.
 * @internal
 */
export interface WorkloadProfile {
  /** Startup budget when `startupBudget` is not given, and where that number comes from. */
  readonly defaultStartupBudget: Duration;
  readonly defaultStartupBudgetSource: string;
  /** Sources of the profile's own defaults (listed between the budget's and the rollout's). */
  readonly sources: string[];
  /** Spring Boot's management port: enables the in-process (actuator) take-out. */
  readonly actuatorPort?: number;
  /** Spring Boot: the registry's application env applies, actuator endpoints are exposed. */
  readonly spring: boolean;
  /** A call after the wait (shutdown trigger). */
  readonly afterCall?: AfterCall;
  /** Actuator endpoints to expose over HTTP besides those the probes and the hook need (e.g. prometheus). */
  readonly exposeEndpoints?: string[];
  /** The longest request assumed when the traffic profile gives none (Spring Boot: its 30 s phase timeout). */
  readonly defaultLongestRequest?: Duration;
  /** timeoutSeconds of the probes; left out, Kubernetes' 1 s default applies. */
  readonly probeTimeoutSeconds?: number;
  /** What only the profile can see (e.g. the JVM heap ceiling against the memory request). */
  readonly findings?: Finding[];
  /** Env the profile derives from the shutdown budget (first in the container's env). */
  managedEnv(budget: ShutdownBudget): ManagedVariable[];
}

/**
 * Any HTTP workload: cdk8s-plus-28 adds a TCP startup probe with failureThreshold 3 × 10 s; that budget is
 * kept (on HTTP). No env of its own, no actuator.
 * @internal
 */
export const GENERIC_PROFILE: WorkloadProfile = {
  defaultStartupBudget: Duration.seconds(PROBE_FAILURE_THRESHOLD * PROBE_PERIOD_SECONDS),
  defaultStartupBudgetSource: `cdk8s-plus-28 default startup probe, ${PROBE_FAILURE_THRESHOLD} × ${PROBE_PERIOD_SECONDS} s`,
  sources: [],
  managedEnv: () => [],
  spring: false,
};

/** Profiles handed to GracefulService's constructor, keyed by the props object they came with. */
const PROFILES = new WeakMap<object, WorkloadProfile>();

/**
 * Hands a profile to GracefulService's constructor together with the props a subclass passes to `super`.
 *
 * Why not a constructor argument: jsii allows neither constructor overloads nor public parameters of
 * internal types, and the public props struct must not grow an internal field. So the profile travels
 * beside the props object, keyed by its identity (a fresh object built by the subclass for `super`): typed,
 * never part of the API, and gone with the props object.
 * @internal
 */
export function withProfile<T extends object>(props: T, profile: WorkloadProfile): T {
  PROFILES.set(props, profile);
  return props;
}

/** The profile handed over with these props, else the generic one. @internal */
export function profileOf(props: object | undefined | null): WorkloadProfile {
  return (props !== undefined && props !== null ? PROFILES.get(props) : undefined) ?? GENERIC_PROFILE;
}
