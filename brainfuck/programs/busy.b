busy: three nested loops of 255 trips each (16 million innermost trips) moving
one unit between cells each time; then prints the count's low byte (255) and a
newline; written for futamura under the repository's licence
-[>-[>-[>+<-]<-]<-]
>>>.>++++++++++.
