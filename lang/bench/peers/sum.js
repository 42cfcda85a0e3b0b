let s = 0;
for (let i = 100000000; i !== 0; i--) s += i;
print(s);
