;; Stubs for weval's intrinsics, for tools that instantiate an unspecialized interpreter: the real wizer needs every
;; import satisfied (`wizer --preload weval=interp/c/weval-stubs.wat …`). Context and diagnostic calls do nothing,
;; specialize.value returns its value, state writes do nothing and state reads (registers, virtual stack and
;; locals, globals) trap, since only a specialized body can have written what they read — the behaviour of the one
;; table in abi/weval.ts (test/interp/abi-table.test.ts checks this file against it). Signatures as in
;; interp/c/weval.h.
(module
  (func (export "push.context") (param i32))
  (func (export "update.context") (param i32))
  (func (export "pop.context"))
  (func (export "specialize.value") (param i32 i32 i32) (result i32) (local.get 0))
  (func (export "read.reg") (param i64) (result i64) (unreachable))
  (func (export "write.reg") (param i64 i64))
  (func (export "read.specialization.global") (param i32) (result i64) (unreachable))
  (func (export "push.stack") (param i32 i64))
  (func (export "pop.stack") (param i32) (result i64) (unreachable))
  (func (export "read.stack") (param i32 i32) (result i64) (unreachable))
  (func (export "write.stack") (param i32 i32 i64))
  (func (export "sync.stack"))
  (func (export "read.local") (param i32 i32) (result i64) (unreachable))
  (func (export "write.local") (param i32 i32 i64))
  (func (export "assert.const32") (param i32 i32))
  (func (export "assert.const.memory") (param i32 i32))
  (func (export "assume.const.memory") (param i32) (result i32) (local.get 0))
  (func (export "assume.const.memory.transitive") (param i32) (result i32) (local.get 0))
  (func (export "assume.alias.class") (param i32 i32) (result i32) (local.get 0))
  (func (export "assume.alias.region") (param i32 i32) (result i32) (local.get 0))
  (func (export "abort.specialization") (param i32 i32))
  (func (export "trace.line") (param i32))
  (func (export "print") (param i32 i32 i32))
  (func (export "context.bucket") (param i32)))
