; Nested loops: 30 outer iterations × 40 inner ones, counting the inner steps.
; expect: inner steps: 1200
; expect-halt: 1200
.locals 4                       ; 0: outer counter, 1: inner counter, 2: steps, 3: spare (never used)
        LOAD_IMMEDIATE 30
        STORE_LOCAL 0
outer:  LOAD_IMMEDIATE 40
        STORE_LOCAL 1
inner:  LOAD_LOCAL 2
        INC
        STORE_LOCAL 2
        LOAD_LOCAL 1
        DEC
        STORE_LOCAL 1
        JMPNZ inner
        LOAD_LOCAL 0
        DEC
        STORE_LOCAL 0
        JMPNZ outer
        PRINT "inner steps: "
        LOAD_LOCAL 2
        PRINTI
        PRINT "\n"
        HALT
