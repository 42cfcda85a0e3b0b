let total = 0;
for (let i = 0; i < 3000; i++) {
  for (let j = 0; j < 3000; j++) total = total + Math.floor((i * j) / 1000) + 1;
}
print(total);
