// One runner for the specializer's named stages (binaryen's PassRunner, cranelift's verify_if): the request pipeline
// (specializer/index.ts: frontend, split-at-intrinsic, max-ssa, specialize) and every cleanup pass
// (passes/cleanup.ts) run through `run(stage, body, pass)`, which times the stage, runs the IR verifier after it
// (with `verify`; a failure names the stage) and tells `observe` — the --dump-ir writer and the inspect hook — the
// stage's name and its IR. Adding a stage is one `run` call; nothing else knows the list.
//
// Invariants: the runner only observes — a stage's result and IR are the same with or without verify and observe;
// timings are summed per stage name (cleanup runs some passes twice), in milliseconds.
import type { FunctionBody } from "./ir.ts";
import { IrVerifyError, verifyFunction } from "./verify.ts";
import { trace, tracing } from "../../util/trace.ts";

/** FUTAMURA_TRACE=stages (util/trace.ts): each stage's name, function and time on stderr. */
const TRACE = tracing("stages");

/** Run `step` and, under FUTAMURA_TRACE=stages, trace its wall and CPU time (CPU, which other processes' load
 *  distorts less, where the platform tells it): `<function>: <stage> <wall> ms (<cpu> ms CPU)`. For the steps that
 *  are not IR stages too (the backend's local planning and structuring). */
export function traced<T>(fnName: string | ((result: T) => string), stage: string, step: () => T): T {
  if (!TRACE) return step();
  const cpu = cpuMs();
  const t = performance.now();
  const result = step();
  const ms = performance.now() - t;
  const cpuUsed = cpuMs() - cpu;
  const name = typeof fnName === "function" ? fnName(result) : fnName;
  trace("stages", `${name}: ${stage} ${ms.toFixed(2)} ms${isNaN(cpuUsed) ? "" : ` (${cpuUsed.toFixed(2)} ms CPU)`}`);
  return result;
}

/** The process's CPU time so far in milliseconds (user and system), NaN where there is no `process`. */
function cpuMs(): number {
  if (typeof process === "undefined") return NaN;
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

export interface StageOptions {
  /** Run the IR verifier after every stage. */
  verify?: boolean;
  /** Told the IR after each stage (read it during the call: later stages change it in place). */
  observe?: (stage: string, body: FunctionBody) => void;
}

export class StageRunner {
  /** Milliseconds per stage name, summed over its runs, in the order the stages first ran. */
  readonly ms: Record<string, number> = {};

  constructor(private readonly opts: StageOptions = {}) {}

  /** Run `pass` as stage `stage`; `body` is the IR it leaves (the one it changed in place, or one made from its
   *  result), verified and observed after it. */
  run<T>(stage: string, body: FunctionBody | ((result: T) => FunctionBody), pass: () => T): T {
    const irOf = (r: T) => (typeof body === "function" ? body(r) : body);
    let ir: FunctionBody | undefined; // made once, when the trace names the function or after the pass
    const t = performance.now();
    const result = traced((r: T) => (ir = irOf(r)).name, stage, pass);
    const ms = performance.now() - t;
    this.ms[stage] = (this.ms[stage] ?? 0) + ms;
    ir ??= irOf(result);
    this.after(stage, ir);
    return result;
  }

  /** Observe `body` as the IR after `stage` without running it: a generic function built, and verified, for an
   *  earlier request and shared. */
  observe(stage: string, body: FunctionBody): void {
    this.opts.observe?.(stage, body);
  }

  private after(stage: string, body: FunctionBody): void {
    if (this.opts.verify) {
      try {
        verifyFunction(body);
      } catch (e) {
        if (e instanceof IrVerifyError) throw new IrVerifyError(`after the ${stage} stage: ${e.message}`);
        throw e;
      }
    }
    this.opts.observe?.(stage, body);
  }
}
