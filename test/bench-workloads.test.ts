import { synth } from '../bench/workloads';

// The benchmark compares the library with hand-written cdk8s-plus code that must emit the same YAML;
// if the library's output changes, the hand-written side must change with it or the ratio means nothing.
test('the benchmark\'s hand-written workload emits exactly what GracefulJavaService emits', () => {
  const library = synth('library', 3, 'svc');
  expect(library.length).toBeGreaterThan(5000);
  expect(synth('hand', 3, 'svc')).toBe(library);
});
