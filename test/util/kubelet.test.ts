import { kubeletExpand } from './kubelet';

// Cases from k8s.io/kubernetes third_party/forked/golang/expansion/expand_test.go (TestMapReference and
// TestMapping), with the mapping defined below.
const defined = { VAR_A: 'A', VAR_B: 'B', VAR_C: 'C', VAR_REF: '$(VAR_A)', VAR_EMPTY: '' };

describe('kubeletExpand (the test suite\'s port of the kubelet\'s expansion)', () => {
  test.each([
    ['$(VAR_A)', 'A'],
    ['___$(VAR_B)___', '___B___'],
    ['$(VAR_C)$(VAR_A)', 'CA'],
    ['$(VAR_REF)', '$(VAR_A)'],
    ['$(VAR_EMPTY)', ''],
    ['$(VAR_DNE)', '$(VAR_DNE)'],
    ['$$(VAR_A)', '$(VAR_A)'],
    ['$$$(VAR_A)', '$A'],
    ['$$$$(VAR_A)', '$$(VAR_A)'],
    ['$$5', '$5'],
    ['$$', '$'],
    ['$', '$'],
    ['foo$', 'foo$'],
    ['$(VAR_A', '$(VAR_A'],
    ['$(VAR_A$$)', '$(VAR_A$$)'],
    ['$($$)', '$($$)'],
    ['$(', '$('],
    ['$()', '$()'],
    ['$VAR_A', '$VAR_A'],
    ['$x$$', '$x$'],
    ['f000-$$VAR_A', 'f000-$VAR_A'],
    ['foo\\$(VAR_C)bar', 'foo\\Cbar'],
  ])('%s → %s', (input, expected) => {
    expect(kubeletExpand(input, defined)).toBe(expected);
  });
});
