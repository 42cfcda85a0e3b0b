function make(depth) {
  const node = [null, null];
  if (depth > 0) {
    node[0] = make(depth - 1);
    node[1] = make(depth - 1);
  }
  return node;
}
function check(node) {
  if (node[0] === null) return 1;
  return 1 + check(node[0]) + check(node[1]);
}
const minDepth = 4;
const maxDepth = 10;
print(check(make(maxDepth + 1)));
const longLived = make(maxDepth);
for (let depth = minDepth; depth <= maxDepth; depth += 2) {
  const iterations = 2 ** (maxDepth - depth + minDepth);
  let total = 0;
  for (let i = 0; i < iterations; i++) total += check(make(depth));
  print(total);
}
print(check(longLived));
