/*
 * The cdk8s-plus build this package is compiled against. `cdk8s-graceful` is built against cdk8s-plus-28;
 * scripts/build-variant.ts builds `cdk8s-graceful-plus-33` from the same sources, rewriting every
 * `cdk8s-plus-28` in the sources and the constant below (it fails if it cannot find them).
 */

/**
 * The Kubernetes API version that cdk8s-plus package serializes for: the default `kubernetesVersion`.
 * @internal
 */
export const PLUS_KUBERNETES_VERSION = '1.28';
