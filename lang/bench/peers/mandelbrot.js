let inside = 0;
for (let y = 0; y < 200; y++) {
  for (let x = 0; x < 200; x++) {
    const cr = (x * 3.0) / 200 - 2.0;
    const ci = (y * 2.0) / 200 - 1.0;
    let zr = 0.0, zi = 0.0, k = 0;
    while (k < 100 && zr * zr + zi * zi <= 4.0) {
      const t = zr * zr - zi * zi + cr;
      zi = 2.0 * zr * zi + ci;
      zr = t;
      k++;
    }
    if (k === 100) inside++;
  }
}
print(inside);
