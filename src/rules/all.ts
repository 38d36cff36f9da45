import { ConsulCheckCollisionRule } from './consul-check-collision';
import { DockerfileCmdIgnoredRule } from './dockerfile-cmd-ignored';
import { DockerfileExecFormInvalidRule } from './dockerfile-exec-form-invalid';
import { DockerfileSleepBeforeExecRule } from './dockerfile-sleep-before-exec';
import { DockerfileStopSignalRule } from './dockerfile-stopsignal';
import { GraceBelowPreStopAndShutdownRule } from './grace-below-prestop-and-shutdown';
import { GracePeriodAboveAutoscalerLimitRule } from './grace-period-above-autoscaler-limit';
import { IstioSidecarDrainsFirstRule } from './istio-sidecar-drains-first';
import { LivenessDelayWithoutStartupProbeRule } from './liveness-delay-without-startup-probe';
import { LivenessEqualsReadinessRule } from './liveness-equals-readiness';
import { NacosPersistentInstanceRule } from './nacos-persistent-instance';
import { PdbBlocksDisruptionRule } from './pdb-blocks-disruption';
import { PdbMissingRule } from './pdb-missing';
import { Pid1ScriptUnverifiedRule } from './pid1-script-unverified';
import { Pid1ShellMayNotExecRule } from './pid1-shell-may-not-exec';
import { Pid1ShellWithoutExecRule } from './pid1-shell-without-exec';
import { PreStopCallWithoutTimeoutRule } from './prestop-call-without-timeout';
import { PreStopMissingRule } from './prestop-missing';
import { PreStopOver80PercentOfGraceRule } from './prestop-over-80-percent-of-grace';
import { PreStopScriptUnverifiedRule } from './prestop-script-unverified';
import { PreStopWaitExceedsGraceRule } from './prestop-wait-exceeds-grace';
import { ReadinessProbeMissingRule } from './readiness-probe-missing';
import { RegistryConsumersBlindRule } from './registry-consumers-blind';
import { RegistryCredentialsPlaintextRule } from './registry-credentials-plaintext';
import { RegistryWithoutTakeoutRule } from './registry-without-takeout';
import { RolloutMaxUnavailableRule } from './rollout-max-unavailable';
import { RolloutMaxUnavailableImplicitRule } from './rollout-max-unavailable-implicit';
import { RolloutRecreateRule } from './rollout-recreate';
import { Rule } from './rule';
import { ShellCIgnoredArgsRule } from './shell-c-ignored-args';
import { ShellLessImageRunsShellRule } from './shell-less-image-runs-shell';
import { SingleReplicaRule } from './single-replica';
import { SuppressionInvalidRule } from './suppression-invalid';
import { TakeoutWithoutWaitRule } from './takeout-without-wait';
import { WaitBelowRegistryPropagationRule } from './wait-below-registry-propagation';

let rules: Rule[] | undefined;

/**
 * Every rule, in catalogue order (termination timing, registry, process, probes and rollout, Dockerfile,
 * housekeeping). One line per rule; built on first use.
 * @internal
 */
export function allRules(): Rule[] {
  rules ??= [
    new PreStopMissingRule(),
    new PreStopWaitExceedsGraceRule(),
    new ShellCIgnoredArgsRule(),
    new GraceBelowPreStopAndShutdownRule(),
    new PreStopOver80PercentOfGraceRule(),
    new PreStopCallWithoutTimeoutRule(),
    new PreStopScriptUnverifiedRule(),
    new ShellLessImageRunsShellRule(),
    new TakeoutWithoutWaitRule(),
    new WaitBelowRegistryPropagationRule(),
    new RegistryWithoutTakeoutRule(),
    new RegistryConsumersBlindRule(),
    new ConsulCheckCollisionRule(),
    new NacosPersistentInstanceRule(),
    new RegistryCredentialsPlaintextRule(),
    new IstioSidecarDrainsFirstRule(),
    new GracePeriodAboveAutoscalerLimitRule(),
    new Pid1ShellWithoutExecRule(),
    new Pid1ShellMayNotExecRule(),
    new Pid1ScriptUnverifiedRule(),
    new ReadinessProbeMissingRule(),
    new LivenessEqualsReadinessRule(),
    new LivenessDelayWithoutStartupProbeRule(),
    new RolloutRecreateRule(),
    new RolloutMaxUnavailableRule(),
    new RolloutMaxUnavailableImplicitRule(),
    new SingleReplicaRule(),
    new PdbMissingRule(),
    new PdbBlocksDisruptionRule(),
    new DockerfileStopSignalRule(),
    new DockerfileExecFormInvalidRule(),
    new DockerfileCmdIgnoredRule(),
    new DockerfileSleepBeforeExecRule(),
    new SuppressionInvalidRule(),
  ];
  return rules;
}
