// The cdk8s validation plugin. In cdk8s.yaml, `package: cdk8s-graceful` loads it through the package's entry
// point (src/index.ts re-exports this module); `package: ./node_modules/cdk8s-graceful/lib/plugin` loads this module directly.
export * from './validation';
