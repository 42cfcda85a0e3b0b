; Fibonacci by repeated ADD: prints fib(90), the largest that fits below 2^63.
; expect: fib(90) = 2880067194370816120
; expect-halt: 2880067194370816120
        LOAD_IMMEDIATE 0
        STORE_LOCAL 0           ; a = fib(0)
        LOAD_IMMEDIATE 1
        STORE_LOCAL 1           ; b = fib(1)
        LOAD_IMMEDIATE 90
        STORE_LOCAL 2           ; n
step:   ADD 0, 1
        STORE_LOCAL 3           ; t = a + b
        LOAD_LOCAL 1
        STORE_LOCAL 0           ; a = b
        LOAD_LOCAL 3
        STORE_LOCAL 1           ; b = t
        LOAD_LOCAL 2
        DEC
        STORE_LOCAL 2
        JMPNZ step
        PRINT "fib(90) = "
        LOAD_LOCAL 0
        PRINTI
        PRINT "\n"
        HALT
