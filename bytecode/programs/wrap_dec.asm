; Wraparound downward and negative immediates: 0 - 1 = 2^64-1, and -2 is 2^64-2.
; expect: 18446744073709551615
; expect: 18446744073709551614
; expect-halt: 18446744073709551614
        LOAD_IMMEDIATE 0
        DEC
        PRINTI
        PRINT "\n"
        LOAD_IMMEDIATE -2
        PRINTI
        PRINT "\n"
        HALT
