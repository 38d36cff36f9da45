import { remembered } from '../src/memo';

test('remembered answers each argument once, undefined answers included, and starts over past its limit', () => {
  const asked: string[] = [];
  const f = remembered((k: string) => {
    asked.push(k);
    return k.startsWith('x') ? undefined : k.length;
  }, 3);
  expect([f('a'), f('bb'), f('a'), f('xy'), f('xy'), f('bb')]).toEqual([1, 2, 1, undefined, undefined, 2]);
  expect(asked).toEqual(['a', 'bb', 'xy']);
  f('cccc'); // a fourth argument: the memory is cleared first, then holds only it
  f('a');
  expect(asked).toEqual(['a', 'bb', 'xy', 'cccc', 'a']);
});
