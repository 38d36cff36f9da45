import { deployment, javaContainer, RuleCases } from '../util';

export const cases: RuleCases = {
  fail: [
    { name: 'latest', objects: [deployment('a', [javaContainer({ image: 'eclipse-temurin:latest' })])], expect: ['eclipse-temurin:latest'], path: 'spec.template.spec.containers[0].image' },
    { name: 'no-tag', objects: [deployment('a', [javaContainer({ image: 'registry.example.com:5000/team/app', command: ['java', '-jar', '/app.jar'] })])], count: 1 },
  ],
  pass: [
    { name: 'tag', objects: [deployment('a', [javaContainer({ image: 'eclipse-temurin:21-jre' })])] },
    { name: 'digest', objects: [deployment('a', [javaContainer({ image: 'eclipse-temurin@sha256:0123' })])] },
    { name: 'database', objects: [deployment('db', [{ name: 'db', image: 'postgres', ports: [{ containerPort: 5432 }] }])] },
  ],
};
