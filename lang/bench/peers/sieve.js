const n = 1000000;
const composite = new Array(n + 1).fill(false);
let count = 0;
for (let i = 2; i <= n; i++) {
  if (!composite[i]) {
    count++;
    for (let j = i * i; j <= n; j += i) composite[j] = true;
  }
}
print(count);
