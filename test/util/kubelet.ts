/**
 * The kubelet's `$(VAR)` expansion of container `env[].value`, `command` and `args`, ported line by line
 * from k8s.io/kubernetes third_party/forked/golang/expansion/expand.go (Expand, tryReadVariableName) with
 * the mapping of pkg/kubelet/kubelet_pods.go (a name not defined earlier is left as `$(NAME)`):
 * `$$` is a literal `$`; `$(NAME)` is the value of NAME when defined; an unclosed `$(` and a `$` before
 * any other character are text.
 *
 * @see https://kubernetes.io/docs/tasks/inject-data-application/define-interdependent-environment-variables/
 */
export function kubeletExpand(input: string, defined: Record<string, string>): string {
  let out = '';
  let checkpoint = 0;
  for (let cursor = 0; cursor < input.length; cursor++) {
    if (input[cursor] === '$' && cursor + 1 < input.length) {
      out += input.slice(checkpoint, cursor);
      const { read, isVar, advance } = tryReadVariableName(input.slice(cursor + 1));
      out += isVar ? (Object.prototype.hasOwnProperty.call(defined, read) ? defined[read] : `$(${read})`) : read;
      cursor += advance;
      checkpoint = cursor + 1;
    }
  }
  return out + input.slice(checkpoint);
}

function tryReadVariableName(input: string): { read: string; isVar: boolean; advance: number } {
  switch (input[0]) {
    case '$':
      return { read: '$', isVar: false, advance: 1 };
    case '(':
      for (let i = 1; i < input.length; i++) {
        if (input[i] === ')') {
          return { read: input.slice(1, i), isVar: true, advance: i + 1 };
        }
      }
      return { read: '$(', isVar: false, advance: 1 };
    default:
      return { read: `$${input[0]}`, isVar: false, advance: 1 };
  }
}
