;; A hand-written module on weval's ABI that forks on a run-time value with weval.specialize.value(x, 0, 3): the
;; specialized function gets one copy per value 0..3, in which `r` is a constant and the br_table on it folds,
;; and values out of range take the last copy (weval's default target). Request at 64 (user_id 9), slot at 24, head at 16.
(module
  (import "weval" "push.context" (func $push (param i32)))
  (import "weval" "specialize.value" (func $spec (param i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (table 2 funcref)
  (elem (i32.const 1) $generic)
  (data (i32.const 16) "\40\00\00\00")
  (data (i32.const 64) "\00\00\00\00\00\00\00\00\09\00\00\00\00\00\00\00\01\00\00\00\80\00\00\00\10\00\00\00\18\00\00\00")
  (data (i32.const 128) "\00\00\00\00\ff\00\00\00\00\00\00\00\00\00\00\00")
  (func (export "weval.pending.head") (result i32) (i32.const 16))
  (func (export "weval.is.wevaled") (result i32) (i32.const 20))
  (func $generic (param $x i32) (result i32)
    (local $r i32)
    (call $push (i32.const 0))
    (local.set $r (call $spec (local.get $x) (i32.const 0) (i32.const 3)))
    (block $d (block $c3 (block $c2 (block $c1 (block $c0
      (br_table $c0 $c1 $c2 $c3 $d (local.get $r)))
      (return (i32.const 100)))
      (return (i32.const 111)))
      (return (i32.const 122)))
      (return (i32.const 133)))
    (i32.mul (local.get $r) (i32.const 1000)))
  (func (export "run") (param $x i32) (result i32)
    (if (result i32) (i32.load (i32.const 24))
      (then (call_indirect (param i32) (result i32) (local.get $x) (i32.load (i32.const 24))))
      (else (call $generic (local.get $x))))))
