function quicksort(a, lo, hi) {
  while (lo < hi) {
    const pivot = a[Math.floor((lo + hi) / 2)];
    let i = lo, j = hi;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) {
        const t = a[i];
        a[i] = a[j];
        a[j] = t;
        i++;
        j--;
      }
    }
    if (j - lo < hi - i) {
      quicksort(a, lo, j);
      lo = i;
    } else {
      quicksort(a, i, hi);
      hi = j;
    }
  }
}
const n = 200000;
const a = new Array(n);
let seed = 42;
for (let i = 0; i < n; i++) {
  seed = (seed * 16807) % 2147483647;
  a[i] = seed;
}
quicksort(a, 0, n - 1);
let unordered = 0, checksum = 0;
for (let i = 0; i < n; i++) {
  if (i > 0 && a[i - 1] > a[i]) unordered++;
  checksum = (checksum * 31 + a[i]) % 1000000007;
}
print(unordered);
print(checksum);
