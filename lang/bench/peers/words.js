const syllables = ["ka", "lo", "mi", "ne", "ru", "sa", "to", "vi"];
let seed = 7;
function next(n) {
  seed = (seed * 16807) % 2147483647;
  return seed % n;
}
const counts = new Map();
for (let i = 0; i < 100000; i++) {
  let word = "";
  const parts = 1 + next(3);
  for (let k = 0; k < parts; k++) word += syllables[next(syllables.length)];
  counts.set(word, (counts.get(word) ?? 0) + 1);
}
let best = "", bestCount = 0, total = 0;
for (const [w, c] of counts) {
  total += w.length;
  if (c > bestCount || (c === bestCount && w < best)) {
    best = w;
    bestCount = c;
  }
}
print(counts.size);
print(best, bestCount);
print(total);
