; Doubling with ADD i, i: 2^63 is the last power that fits, and one more doubling wraps to zero.
; expect: 9223372036854775808
; expect: 0
; expect-halt: 0
        LOAD_IMMEDIATE 1
        STORE_LOCAL 0
        LOAD_IMMEDIATE 63
        STORE_LOCAL 1
double: ADD 0, 0
        STORE_LOCAL 0
        LOAD_LOCAL 1
        DEC
        STORE_LOCAL 1
        JMPNZ double
        LOAD_LOCAL 0
        PRINTI
        PRINT "\n"
        ADD 0, 0
        PRINTI
        PRINT "\n"
        HALT
