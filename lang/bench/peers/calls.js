function step(acc, i, k) { return acc + i * k; }
let acc = 0;
for (let i = 0; i < 1000000; i++) acc = step(acc, i, 3);
print(acc);
