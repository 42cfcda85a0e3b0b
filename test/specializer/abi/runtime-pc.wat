;; A hand-written module on weval's ABI (not AssemblyScript): one pending request at address 64 asks to specialize
;; $generic (table index 1) with a run-time argument. $generic uses that argument as its pc, which is an error the
;; specializer must report by name, leaving the slot at 0 so `run` falls back to the generic function.
(module
  (import "weval" "push.context" (func $push (param i32)))
  (import "weval" "update.context" (func $update (param i32)))
  (memory (export "memory") 1)
  (table 2 funcref)
  (elem (i32.const 1) $generic)
  ;; head @16 -> request @64; flag @20; slot @24; request: next 0, prev 0, user_id 7, num_globals 0, func 1,
  ;; argbuf 128, arglen 16, specialized 24; arg @128: specialize 0, ty 255 (runtime), payload 0.
  (data (i32.const 16) "\40\00\00\00")
  (data (i32.const 64) "\00\00\00\00\00\00\00\00\07\00\00\00\00\00\00\00\01\00\00\00\80\00\00\00\10\00\00\00\18\00\00\00")
  (data (i32.const 128) "\00\00\00\00\ff\00\00\00\00\00\00\00\00\00\00\00")
  (func (export "weval.pending.head") (result i32) (i32.const 16))
  (func (export "weval.is.wevaled") (result i32) (i32.const 20))
  (func $generic (param $x i32) (result i32)
    (call $push (i32.const 0))
    (call $update (local.get $x))
    (i32.mul (local.get $x) (i32.const 3)))
  (func (export "run") (param $x i32) (result i32)
    (if (result i32) (i32.load (i32.const 24))
      (then (call_indirect (param i32) (result i32) (local.get $x) (i32.load (i32.const 24))))
      (else (call $generic (local.get $x))))))
