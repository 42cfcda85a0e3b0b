;; A hand-written module on weval's ABI that reads a table in memory through weval.assume.const.memory: at 256 a
;; pointer to 512, where the words 7 (at 516) and 9 (at 520) are. Through the transitive assumption both loads
;; fold (the loaded pointer is constant memory too); through the plain one only the first does, and the load
;; through the pointer it read stays a load. assert.const.memory checks the tag. Request at 64 (user_id 9), slot
;; at 24, head at 16; one run-time argument.
(module
  (import "weval" "assume.const.memory" (func $assume (param i32) (result i32)))
  (import "weval" "assume.const.memory.transitive" (func $assumeT (param i32) (result i32)))
  (import "weval" "assert.const.memory" (func $assert (param i32 i32)))
  (memory (export "memory") 1)
  (table 2 funcref)
  (elem (i32.const 1) $generic)
  (data (i32.const 16) "\40\00\00\00")
  (data (i32.const 64) "\00\00\00\00\00\00\00\00\09\00\00\00\00\00\00\00\01\00\00\00\80\00\00\00\10\00\00\00\18\00\00\00")
  (data (i32.const 128) "\00\00\00\00\ff\00\00\00\00\00\00\00\00\00\00\00")
  (data (i32.const 256) "\00\02\00\00")
  (data (i32.const 516) "\07\00\00\00\09\00\00\00")
  (func (export "weval.pending.head") (result i32) (i32.const 16))
  (func (export "weval.is.wevaled") (result i32) (i32.const 20))
  (func $generic (param $x i32) (result i32)
    (local $t i32) (local $p i32)
    (local.set $t (call $assumeT (i32.const 256)))
    (call $assert (local.get $t) (i32.const 1))
    (local.set $p (call $assume (i32.const 256)))
    (i32.add
      (i32.add
        (i32.mul (i32.load offset=4 (i32.load (local.get $t))) (i32.const 1000))
        (i32.load offset=8 (i32.load (local.get $p))))
      (local.get $x)))
  (func (export "run") (param $x i32) (result i32)
    (if (result i32) (i32.load (i32.const 24))
      (then (call_indirect (param i32) (result i32) (local.get $x) (i32.load (i32.const 24))))
      (else (call $generic (local.get $x))))))
