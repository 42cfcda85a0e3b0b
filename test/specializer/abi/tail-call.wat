;; A hand-written module on weval's ABI whose specialized function ends in tail calls: one to a generic function
;; ($finish, a constant target: it stays a return_call), and one that recurses through the request's own slot
;; (return_call_indirect at the slot's index: in the specialized copy the slot is a known table index, so it becomes
;; a direct return_call of the specialized function itself). run(n) = 2 * sum over k = 1..n of (k & 7), a loop of n
;; tail calls deep. Request at 64 (user_id 9, two run-time arguments at 128), slot at 24, head at 16.
(module
  (type $t (func (param i32 i32) (result i32)))
  (import "weval" "push.context" (func $push (param i32)))
  (import "weval" "specialize.value" (func $spec (param i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (table 2 funcref)
  (elem (i32.const 1) $generic)
  (data (i32.const 16) "\40\00\00\00")
  (data (i32.const 64) "\00\00\00\00\00\00\00\00\09\00\00\00\00\00\00\00\01\00\00\00\80\00\00\00\20\00\00\00\18\00\00\00")
  (data (i32.const 128) "\00\00\00\00\ff\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\ff\00\00\00\00\00\00\00\00\00\00\00")
  (func (export "weval.pending.head") (result i32) (i32.const 16))
  (func (export "weval.is.wevaled") (result i32) (i32.const 20))
  (func $generic (type $t) (param $n i32) (param $acc i32) (result i32)
    (local $self i32)
    (call $push (i32.const 0))
    (if (i32.eqz (local.get $n)) (then (return_call $finish (local.get $acc))))
    ;; The specialized function once there is one, else the generic one.
    (local.set $self (i32.load (i32.const 24)))
    (if (i32.eqz (local.get $self)) (then (local.set $self (i32.const 1))))
    (return_call_indirect (type $t)
      (i32.sub (local.get $n) (i32.const 1))
      (i32.add (local.get $acc) (i32.and (local.get $n) (i32.const 7)))
      (local.get $self)))
  (func $finish (param $acc i32) (result i32) (i32.mul (local.get $acc) (i32.const 2)))
  (func (export "run") (param $n i32) (result i32)
    (if (result i32) (i32.load (i32.const 24))
      (then (call_indirect (type $t) (local.get $n) (i32.const 0) (i32.load (i32.const 24))))
      (else (call $generic (local.get $n) (i32.const 0))))))
