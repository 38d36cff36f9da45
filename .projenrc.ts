import { cdk8s, javascript } from 'projen';
import { UpdateSnapshot } from 'projen/lib/javascript';

// Versions pinned so that `npm ci` works on a fresh clone with only the npm registry reachable.
// See docs/development.md for why each pin exists.
const CDK8S_VERSION = '2.70.106';
const CDK8S_PLUS_VERSION = '2.5.6'; // last release of cdk8s-plus-28
const CONSTRUCTS_VERSION = '10.8.1';
const CDK8S_PLUS_33_VERSION = '2.5.57'; // what `cdk8s init` installed on 2026-12-02; the plus-33 build's peer range starts here

const project = new cdk8s.ConstructLibraryCdk8s({
  name: 'cdk8s-graceful',
  description:
    'cdk8s constructs for lossless termination of registry-backed (Nacos, Consul, Eureka) Java / Spring Cloud services: a derived shutdown budget, preStop, probes and rollout that explain their own numbers.',
  author: 'cdk8s-graceful maintainers',
  authorAddress: 'maintainers@users.noreply.github.com',
  repositoryUrl: 'https://github.com/cdk8s-graceful/cdk8s-graceful.git',
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,
  keywords: ['cdk8s', 'kubernetes', 'graceful-shutdown', 'prestop', 'spring-boot', 'nacos', 'consul', 'eureka'],

  cdk8sVersion: CDK8S_VERSION,
  constructsVersion: CONSTRUCTS_VERSION,
  jsiiVersion: '~6.0.0',
  projenVersion: '0.103.25',
  typescriptVersion: '~6.0.0',
  peerDeps: [`cdk8s-plus-28@^${CDK8S_PLUS_VERSION}`],
  // The audit reads YAML; cdk8s bundles the same parser and version.
  bundledDeps: ['yaml@^2.9.1'],
  // `cdk8s-graceful audit <files|dirs|->`
  bin: { 'cdk8s-graceful': 'lib/cli/main.js' },

  // jest 30 and eslint-import-resolver-typescript 4 pull platform-specific optional packages
  // that break `npm ci` on a fresh clone here: stay on jest 29.
  jestOptions: {
    jestVersion: '^29',
    updateSnapshot: UpdateSnapshot.NEVER,
    jestConfig: {
      testPathIgnorePatterns: ['/node_modules/', '/examples/'],
      // the constructs' synth-time warnings are not printed during tests (see the file)
      setupFiles: ['<rootDir>/test/setup-env.ts'],
      coveragePathIgnorePatterns: ['/node_modules/', '/test/'],
    },
  },
  devDeps: [
    'ts-jest@^29',
    '@types/jest@^29',
    'kubernetes-models@4.5.1',
    'ts-node@^10',
    'cdk8s-cli@2.207.60',
    'fast-check@^3',
    // the cdk8s-plus majors other than 28 the package is also built for (scripts/build-variant.ts)
    `cdk8s-plus-33@${CDK8S_PLUS_33_VERSION}`,
  ],

  // No hosted CI/release automation: `.ci/run` is the CI entry point.
  github: false,
  release: false,
  buildWorkflow: false,
  depsUpgrade: false,
  pullRequestTemplate: false,

  gitignore: ['/examples/**/dist/', '/bench/out/', '*.tgz', '/scratch/', '/.api-baseline/', '/build/'],
});

// Pins that must win over what projen's components add (see docs/development.md).
project.deps.removeDependency('eslint-import-resolver-typescript');
project.deps.removeDependency('@types/node');
project.addDevDeps('eslint-import-resolver-typescript@~3.6.3', '@types/node@^20');

// jsii, jsii-pacmak and jsii-diff print a 12-line banner on every run under an end-of-life Node; the
// variable lists the majors to stay quiet for (read by @jsii/check-node). Node 20 is what this repo runs on.
project.tasks.addEnvironment('JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION', '20');

// The example apps import 'cdk8s-graceful' exactly as a user's app would; inside this repo that name
// resolves to the package itself through a symlink.
const linkSelf = project.addTask('link:self', {
  description: 'Make the package resolvable by its own name (node_modules/cdk8s-graceful -> ..) for the examples',
  exec: 'mkdir -p node_modules && ln -sfn .. node_modules/cdk8s-graceful',
});
const synthExamples = project.addTask('synth:example', {
  description: 'Compile the library and run `cdk8s synth` in every example app (output: examples/*/dist)',
});
synthExamples.spawn(project.compileTask);
synthExamples.spawn(linkSelf);
synthExamples.exec('bash scripts/synth-examples.sh');

// docs/ ships with the package: TSDoc, annotations and findings point into it.
for (const pattern of ['/examples/', '/bench/', '/.ci/', '/scripts/', '/scratch/', '/build/']) {
  project.addPackageIgnore(pattern);
}

// The same sources built for cdk8s-plus-33 as the package cdk8s-graceful-plus-33 (docs/cdk8s-plus.md).
project.addTask('package:variants', {
  description: 'Build and pack cdk8s-graceful-plus-33 (the sources compiled against cdk8s-plus-33) into dist/variants/',
  exec: 'ts-node --transpile-only scripts/build-variant.ts 33',
});

// Synthesis benchmark: GracefulJavaService against hand-written cdk8s-plus-28 (see docs/benchmark.md).
project.addTask('bench', {
  description: 'Synthesize 1000 GracefulJavaServices and 1000 equivalent hand-written cdk8s-plus-28 trios (one chart; a chart per service); '
    + 'compare CPU, wall time and memory growth',
  exec: 'tsc -p bench/tsconfig.json && node bench/out/bench/synth.js',
});

// Audit benchmark: the CLI's own parse against parse + audit of 10,000 and 100,000 objects, and the CLI's start-up (see docs/benchmark.md).
project.addTask('bench:audit', {
  description: 'The CLI\'s loader against loader + audit on 10,000 and 100,000 objects (services with their companions); CLI start-up against a bare parse',
  exec: 'tsc -p bench/tsconfig.json && node bench/out/bench/audit.js',
});

// The drill: one pod replacement on loopback with a real JVM, requests lost per configuration (see docs/drill.md).
project.addTask('drill', {
  description: 'Play one pod replacement (real JVM as PID 1, kube-proxy and Nacos stand-ins) for five configurations; print the requests lost',
  exec: 'ts-node --transpile-only test/e2e/drill.ts',
  receiveArgs: true,
});

// ts-jest compiles each test file on its own (isolatedModules) and reports no type errors: the test task checks
// the tests' types too, so a test cannot pass on an import that does not exist.
project.testTask.exec('tsc --noEmit -p test/tsconfig.json', { name: 'typecheck-tests' });

project.synth();
