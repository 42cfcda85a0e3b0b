;; A hand-written module on the ABI's weval.assume.alias.class (futamura's own intrinsic): two run-time pointers read
;; from memory (at 300 and 304), declared of alias classes 1 (a header) and 2 (elements); a load through the first,
;; a store through the second, the same load again. Classes apart, store forwarding keeps the first load's value
;; across the store; one class (the test edits 2 into 1), the second load stays. Request at 64 (user_id 9), slot at
;; 24, head at 16; one run-time argument, stored.
(module
  (import "weval" "assume.alias.class" (func $class (param i32 i32) (result i32)))
  (memory (export "memory") 1)
  (table 2 funcref)
  (elem (i32.const 1) $generic)
  (data (i32.const 16) "\40\00\00\00")
  (data (i32.const 64) "\00\00\00\00\00\00\00\00\09\00\00\00\00\00\00\00\01\00\00\00\80\00\00\00\10\00\00\00\18\00\00\00")
  (data (i32.const 128) "\00\00\00\00\ff\00\00\00\00\00\00\00\00\00\00\00")
  (data (i32.const 300) "\00\04\00\00\00\08\00\00")
  (data (i32.const 1036) "\05\00\00\00")
  (func (export "weval.pending.head") (result i32) (i32.const 16))
  (func (export "weval.is.wevaled") (result i32) (i32.const 20))
  (func $generic (param $x i32) (result i32)
    (local $h i32) (local $e i32) (local $first i32)
    (local.set $h (call $class (i32.load (i32.const 300)) (i32.const 1)))
    (local.set $e (call $class (i32.load (i32.const 304)) (i32.const 2)))
    (local.set $first (i32.load offset=12 (local.get $h)))
    (i32.store offset=16 (local.get $e) (local.get $x))
    (i32.add (i32.mul (local.get $first) (i32.const 1000)) (i32.load offset=12 (local.get $h))))
  (func (export "run") (param $x i32) (result i32)
    (if (result i32) (i32.load (i32.const 24))
      (then (call_indirect (param i32) (result i32) (local.get $x) (i32.load (i32.const 24))))
      (else (call $generic (local.get $x))))))
