; Strings and escapes: PRINT only, and HALT with the accumulator's initial value (zero).
; expect: Hello, futamura!
; expect: 	tab "quoted" back\slash
; expect: λ → ✓
; expect-halt: 0
        PRINT "Hello, futamura!\n"
        PRINT "\ttab \"quoted\" back\\slash\n"
        PRINT "\u{3bb} \u{2192} \u{2713}\n"
        HALT
