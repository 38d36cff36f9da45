/**
 * `fn` with its answers remembered per argument, for at most `limit` distinct arguments (then it starts over,
 * so memory stays bounded whatever the input). The audit asks the same questions about the same keys, images,
 * property names and scripts for every container and rule. Only for pure functions of their argument whose
 * answers nobody changes (return frozen or primitive values).
 * @internal
 */
export function remembered<T>(fn: (key: string) => T, limit = 10_000): (key: string) => T {
  const answers = new Map<string, T>();
  return (key: string): T => {
    const known = answers.get(key);
    if (known !== undefined || answers.has(key)) return known as T;
    const answer = fn(key);
    if (answers.size >= limit) answers.clear();
    answers.set(key, answer);
    return answer;
  };
}
