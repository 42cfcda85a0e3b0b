;; A hand-written module on the ABI's weval.assume.alias.region (futamura's own intrinsic): two run-time pointers
;; read from memory (at 300, 304), each declared the start of an object of region class 2 (Fern's element storage of
;; two arrays, which may be one); a load at offset 96 through the second, a store at offset 56 through the first, the
;; same load again. Disjoint offsets: the objects are one (and the bytes differ) or two (and never overlap), so store
;; forwarding keeps the first load's value across the store; the test edits the store's offset to 96 (then the
;; pointers may be equal: the load stays) and the declarations into assume.alias.class (one class, no region: stays).
;; Request at 64 (user_id 9), slot at 24, head at 16; one run-time argument, stored.
(module
  (import "weval" "assume.alias.region" (func $region (param i32 i32) (result i32)))
  (import "weval" "assume.alias.class" (func $class (param i32 i32) (result i32)))
  (memory (export "memory") 1)
  (table 2 funcref)
  (elem (i32.const 1) $generic)
  (data (i32.const 16) "\40\00\00\00")
  (data (i32.const 64) "\00\00\00\00\00\00\00\00\09\00\00\00\00\00\00\00\01\00\00\00\80\00\00\00\10\00\00\00\18\00\00\00")
  (data (i32.const 128) "\00\00\00\00\ff\00\00\00\00\00\00\00\00\00\00\00")
  (data (i32.const 300) "\00\04\00\00\00\08\00\00")
  (data (i32.const 2144) "\05\00\00\00")
  (func (export "weval.pending.head") (result i32) (i32.const 16))
  (func (export "weval.is.wevaled") (result i32) (i32.const 20))
  (func $generic (param $x i32) (result i32)
    (local $p i32) (local $q i32) (local $first i32)
    (local.set $p (call $region (i32.load (i32.const 300)) (i32.const 2)))
    (local.set $q (call $region (i32.load (i32.const 304)) (i32.const 2)))
    (local.set $first (i32.load offset=96 (local.get $q)))
    (i32.store offset=56 (local.get $p) (local.get $x))
    (i32.add (i32.mul (local.get $first) (i32.const 1000)) (i32.load offset=96 (local.get $q))))
  (func (export "run") (param $x i32) (result i32)
    (if (result i32) (i32.load (i32.const 24))
      (then (call_indirect (param i32) (result i32) (local.get $x) (i32.load (i32.const 24))))
      (else (call $generic (local.get $x))))))
