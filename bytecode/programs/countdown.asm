; A loop that prints each value: JMPNZ taken four times, then not taken.
; expect: 5
; expect: 4
; expect: 3
; expect: 2
; expect: 1
; expect: liftoff
; expect-halt: 0
        LOAD_IMMEDIATE 5
again:  PRINTI
        PRINT "\n"
        DEC
        JMPNZ again
        PRINT "liftoff\n"
        HALT
