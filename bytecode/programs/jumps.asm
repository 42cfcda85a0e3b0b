; Forward and backward jumps, taken and untaken, an unconditional jump (LOAD_IMMEDIATE 1; JMPNZ) and a label on
; the same line as its instruction.
; expect: a
; expect: c
; expect: e
; expect-halt: 7
        LOAD_IMMEDIATE 0
        JMPNZ skip_a            ; not taken
        PRINT "a\n"
skip_a: LOAD_IMMEDIATE 1
        JMPNZ skip_b            ; taken
        PRINT "b\n"
skip_b: PRINT "c\n"
        LOAD_IMMEDIATE 1
        JMPNZ forward
back:   PRINT "e\n"
        LOAD_IMMEDIATE 7
        HALT
forward: LOAD_IMMEDIATE 1
        JMPNZ back              ; a backward jump into the middle of the program
        PRINT "d\n"
        HALT
