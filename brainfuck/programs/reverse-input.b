reverse input: reads its whole input then prints it backwards; written for
futamura under the repository's licence
Each byte goes into a fresh cell so end of input (which leaves the cell
unchanged) reads as zero and ends the first loop
>,[>,]<[.<]
