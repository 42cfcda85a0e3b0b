; Multiplication by repeated addition: 1234 × 5678.
; expect: 1234 * 5678 = 7006652
; expect-halt: 7006652
        LOAD_IMMEDIATE 1234
        STORE_LOCAL 0           ; x
        LOAD_IMMEDIATE 5678
        STORE_LOCAL 1           ; count
        LOAD_IMMEDIATE 0
        STORE_LOCAL 2           ; product
loop:   ADD 2, 0
        STORE_LOCAL 2
        LOAD_LOCAL 1
        DEC
        STORE_LOCAL 1
        JMPNZ loop
        PRINT "1234 * 5678 = "
        LOAD_LOCAL 2
        PRINTI
        PRINT "\n"
        HALT
