import * as kplus from 'cdk8s-plus-28';
import { ShutdownBudget } from '../shutdown/budget';

/**
 * How the preStop hook is delivered to the container.
 *
 * The foundation waits out the propagation time with an exec of `sleep` (exec form: no shell needed, only
 * a `sleep` binary, which every image with coreutils or busybox has). The kubelet runs preStop after the
 * pod's deletion timestamp is set and sends SIGTERM only when the hook returns, so callers stop arriving
 * before the application stops accepting.
 *
 * @see https://kubernetes.io/docs/concepts/containers/container-lifecycle-hooks/
 * @internal
 */
export function preStopHandler(budget: ShutdownBudget): kplus.Handler {
  return kplus.Handler.fromCommand(preStopCommand(budget));
}

/** @internal */
export function preStopCommand(budget: ShutdownBudget): string[] {
  return ['sleep', String(budget.preStopSeconds)];
}
