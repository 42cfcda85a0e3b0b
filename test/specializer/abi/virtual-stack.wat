;; A hand-written module on weval's ABI whose specialized body uses the virtual stack and locals and a
;; specialization global, with paths of different stack depths joining (weval's semantics, virtual-state.ts), and
;; the two diagnostics that must not stop it: context.bucket and a non-fatal abort.specialization.
;; Memory at $base (a run-time argument): the stack entries at +0, +8, +16, local 0 at +64, and two flags the
;; caller sets, at +200 (pop on one path) and +208 (sync.stack on one path).
;; Request at 64 (user_id 11, 1 specialization global), slot at 24, head at 16; arguments at 128:
;; global 0 = i64 42, n = i32 5 (constant), base = run-time.
(module
  (import "weval" "push.context" (func $push_context (param i32)))
  (import "weval" "push.stack" (func $push (param i32 i64)))
  (import "weval" "pop.stack" (func $pop (param i32) (result i64)))
  (import "weval" "read.stack" (func $read (param i32 i32) (result i64)))
  (import "weval" "write.stack" (func $write (param i32 i32 i64)))
  (import "weval" "sync.stack" (func $sync))
  (import "weval" "read.local" (func $read_local (param i32 i32) (result i64)))
  (import "weval" "write.local" (func $write_local (param i32 i32 i64)))
  (import "weval" "read.specialization.global" (func $global (param i32) (result i64)))
  (import "weval" "context.bucket" (func $bucket (param i32)))
  (import "weval" "abort.specialization" (func $abort (param i32 i32)))
  (memory (export "memory") 1)
  (table 2 funcref)
  (elem (i32.const 1) $body)
  (data (i32.const 16) "\40\00\00\00")
  (data (i32.const 64) "\00\00\00\00\00\00\00\00\0b\00\00\00\01\00\00\00\01\00\00\00\80\00\00\00\30\00\00\00\18\00\00\00")
  (data (i32.const 128) "\01\00\00\00\01\00\00\00\2a\00\00\00\00\00\00\00\01\00\00\00\00\00\00\00\05\00\00\00\00\00\00\00\00\00\00\00\ff\00\00\00\00\00\00\00\00\00\00\00")
  (func (export "weval.pending.head") (result i32) (i32.const 16))
  (func (export "weval.is.wevaled") (result i32) (i32.const 20))
  (func $body (param $n i32) (param $base i32) (result i64)
    (local $x i64)
    (call $push_context (i32.const 0))
    (call $bucket (i32.const 3))                    ;; a hint for weval's output bucketing: nothing to do here
    (call $abort (i32.const 77) (i32.const 0))      ;; non-fatal (weval's fatal = 0): only marks a point
    (call $push (local.get $base) (i64.const 10))
    (call $push (i32.add (local.get $base) (i32.const 8)) (i64.const 20))
    (call $push (i32.add (local.get $base) (i32.const 16)) (i64.const 30))
    (if (i64.ne (i64.load offset=200 (local.get $base)) (i64.const 0))
      (then
        (drop (call $pop (i32.add (local.get $base) (i32.const 16))))
        (call $write (i32.add (local.get $base) (i32.const 8)) (i32.const 0) (i64.const 21))))
    ;; depth 3 meets depth 2: the common top two stay virtual, the third is stored on the path that had it
    (local.set $x (i64.add (call $read (i32.const 0) (i32.const 0)) (call $read (i32.const 0) (i32.const 1))))
    (call $write_local (i32.add (local.get $base) (i32.const 64)) (i32.const 0) (local.get $x))
    (if (i64.ne (i64.load offset=208 (local.get $base)) (i64.const 0))
      (then (call $sync)))
    ;; x * 1000 + local 0 (virtual, or loaded after a sync) + global 0 + n
    (i64.add
      (i64.add (i64.mul (local.get $x) (i64.const 1000)) (call $read_local (i32.add (local.get $base) (i32.const 64)) (i32.const 0)))
      (i64.add (call $global (i32.const 0)) (i64.extend_i32_u (local.get $n)))))
  (func (export "call") (param $base i32) (result i64)
    (call_indirect (param i32 i32) (result i64) (i32.const 5) (local.get $base) (i32.load (i32.const 24)))))
