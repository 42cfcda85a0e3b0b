; sum-to-100M, the program of "Compilers for free with weval": result = 1 + 2 + ... + 100,000,000.
; expect: Result: 5000000050000000
; expect-halt: 5000000050000000
.locals 2
        LOAD_IMMEDIATE 0
        STORE_LOCAL 0            ; result = 0
        LOAD_IMMEDIATE 100000000
        STORE_LOCAL 1            ; loopc = 100,000,000
loop:   ADD 0, 1
        STORE_LOCAL 0            ; result += loopc
        LOAD_LOCAL 1
        DEC
        STORE_LOCAL 1            ; loopc--
        JMPNZ loop               ; while loopc != 0
        PRINT "Result: "
        LOAD_LOCAL 0
        PRINTI
        PRINT "\n"
        HALT                     ; the accumulator (result) is the exit value
