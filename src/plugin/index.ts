// Entry point of the cdk8s validation plugin: `package: ./node_modules/cdk8s-graceful/lib/plugin` in cdk8s.yaml.
export * from './validation';
