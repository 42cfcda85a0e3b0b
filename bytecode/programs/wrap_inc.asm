; Unsigned 64-bit wraparound upward: 2^64-1 + 1 = 0, so the jump is not taken.
; expect: 18446744073709551615
; expect: 0
; expect: wrapped
; expect-halt: 0
        LOAD_IMMEDIATE 0xffffffffffffffff
        PRINTI
        PRINT "\n"
        INC
        PRINTI
        PRINT "\n"
        JMPNZ bad
        PRINT "wrapped\n"
        HALT
bad:    PRINT "did not wrap\n"
        HALT
