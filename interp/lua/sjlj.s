# setjmp/longjmp for Lua on wasi-libc (which has neither), with Wasm exception handling: futamura_sjlj_try(f, L, ud)
# calls f(L, ud) inside a try; futamura_sjlj_throw() throws a tag of its own, which the try catches, restoring the shadow stack pointer that the unwound C frames left behind.
# Written in assembly because clang 14 cannot emit try/catch from C. The status travels in Lua's lua_longjmp record.
	.text
	.globaltype	__stack_pointer, i32
	.tabletype	__indirect_function_table, funcref
	.tagtype	futamura_sjlj_tag
	.globl	futamura_sjlj_tag
futamura_sjlj_tag:
	.section	.text.futamura_sjlj_try,"",@
	.hidden	futamura_sjlj_try
	.globl	futamura_sjlj_try
	.type	futamura_sjlj_try,@function
futamura_sjlj_try:
	.functype	futamura_sjlj_try (i32, i32, i32) -> ()
	.local	i32
	global.get	__stack_pointer
	local.set	3
	try
	local.get	1
	local.get	2
	local.get	0
	call_indirect	 (i32, i32) -> ()
	catch	futamura_sjlj_tag
	local.get	3
	global.set	__stack_pointer
	end_try
	end_function
.Lfunc_end0:
	.size	futamura_sjlj_try, .Lfunc_end0-futamura_sjlj_try

	.section	.text.futamura_sjlj_throw,"",@
	.hidden	futamura_sjlj_throw
	.globl	futamura_sjlj_throw
	.type	futamura_sjlj_throw,@function
futamura_sjlj_throw:
	.functype	futamura_sjlj_throw () -> ()
	throw	futamura_sjlj_tag
	end_function
.Lfunc_end1:
	.size	futamura_sjlj_throw, .Lfunc_end1-futamura_sjlj_throw
