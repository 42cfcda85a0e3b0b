; ADD wraps: (2^63 + 5) + (2^63 + 7) = 12 modulo 2^64.
; expect: 12
; expect-halt: 12
        LOAD_IMMEDIATE 0x8000000000000005
        STORE_LOCAL 0
        LOAD_IMMEDIATE 0x8000000000000007
        STORE_LOCAL 1
        ADD 0, 1
        PRINTI
        PRINT "\n"
        HALT
