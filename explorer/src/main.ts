// The explorer page: wires the editor, the controls and the views to the workers (workers.ts: the pipeline, the
// Graphviz layout and the runs all run off this thread). The views are linked by one selection — a bytecode
// function and pc, or a generic block: clicking a source line, an instruction of the listing or a specialized block
// selects that pc (its source line, listing row, specialized blocks and the generic blocks they copy light up
// together, with their IR and their Wasm before and after); clicking a generic block lights up all its copies.
// Graphs are drawn as soon as specialization ends, the two runs after. Errors stay in the page: a program that does
// not compile shows the CLI's `file:line:col: error: …` and its line in the editor, an aborted request shows its
// reason while its function runs interpreted.
import { diffLines, DIFF_MAX_LINES } from "./diff.ts";
import { Editor } from "./editor.ts";
import { EXAMPLES, languageOf } from "./examples.ts";
import { genericGraph, palette, specializedGraph } from "./graphs.ts";
import type { CleanedBlock, Exploration, Language, RequestView, RunOutcome, SpecializedBlock } from "./pipeline.ts";
import { ProgramError } from "./program-error.ts";
import { contextWords, handlers, resolveSelection, type Selection } from "./selection.ts";
import { readShared, writeShared, type Shared } from "./share.ts";
import { startTour } from "./tour.ts";
import { verdict } from "./verdict.ts";
import { explore, finalText, layoutSvg, stopAll, Stopped, timedRun, warmUp, wasmText } from "./workers.ts";
import { ZoomPane } from "./zoom.ts";
import { UserError } from "../../util/errors.ts";

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const el = {
  example: $<HTMLSelectElement>("example"),
  language: $<HTMLSelectElement>("language"),
  interpreter: $<HTMLSelectElement>("interpreter"),
  maxContexts: $<HTMLInputElement>("max-contexts"),
  runs: $<HTMLSelectElement>("runs"),
  run: $<HTMLButtonElement>("run"),
  stop: $<HTMLButtonElement>("stop"),
  tour: $<HTMLButtonElement>("tour-start"),
  status: $("status"),
  error: $("error"),
  listing: $("listing"),
  abort: $("abort"),
  outInterpreted: $("out-interpreted"),
  outWevaled: $("out-wevaled"),
  timeInterpreted: $("time-interpreted"),
  timeWevaled: $("time-wevaled"),
  verdict: $("verdict"),
  stats: $("stats"),
  genericName: $("generic-name"),
  request: $<HTMLSelectElement>("request"),
  cleaned: $<HTMLInputElement>("cleaned"),
  graphNote: $("graph-note"),
  detailTitle: $("detail-title"),
  context: $("context-words"),
  irBefore: $("ir-before"),
  irAfter: $("ir-after"),
  wasmBefore: $("wasm-before"),
  wasmAfter: $("wasm-after"),
  finalWasm: $("final-wasm"),
  wasmDiff: $("wasm-diff"),
};
const editor = new Editor($<HTMLTextAreaElement>("source"), $("gutter"), $("error-band"), $("line-band"));
const generic = new ZoomPane($("generic-graph"));
const specialized = new ZoomPane($("specialized-graph"));
for (const b of document.querySelectorAll<HTMLButtonElement>("button[data-zoom]")) {
  const pane = b.dataset.pane === "generic" ? generic : specialized;
  b.addEventListener("click", () =>
    b.dataset.zoom === "fit" ? pane.fit() : pane.zoomBy(b.dataset.zoom === "in" ? 1.25 : 0.8),
  );
}

/** The shipped interpreters (build/interp/, as `futamura build-interp` writes them) for each language (toy, Fern,
 *  Brainfuck: interp/manifests/). Fern has two: its locals and stack as weval registers, and `fern-memory`, the
 *  control that leaves them in memory. */
const INTERPRETERS: Record<Language, { name: string; url: URL; note: string }[]> = {
  toy: [{ name: "toy", url: new URL("../../build/interp/toy.wasm", import.meta.url), note: "" }],
  fern: [
    {
      name: "fern",
      url: new URL("../../build/interp/fern.wasm", import.meta.url),
      note: "locals and stack as registers",
    },
    {
      name: "fern-memory",
      url: new URL("../../build/interp/fern-memory.wasm", import.meta.url),
      note: "locals and stack in memory",
    },
  ],
  bf: [{ name: "bf", url: new URL("../../build/interp/bf.wasm", import.meta.url), note: "" }],
};
const interpreterBytes = new Map<string, Promise<Uint8Array>>();
function interpreter(language: Language, name: string): Promise<Uint8Array> {
  const spec = INTERPRETERS[language].find((i) => i.name === name) ?? INTERPRETERS[language][0];
  let bytes = interpreterBytes.get(spec.name);
  if (!bytes) {
    bytes = fetch(spec.url).then(async (res) => {
      if (!res.ok)
        throw new UserError(`cannot load the ${spec.name} interpreter (${res.status}): run \`npm run explorer:build\``);
      return new Uint8Array(await res.arrayBuffer());
    });
    interpreterBytes.set(spec.name, bytes);
    bytes.catch(() => interpreterBytes.delete(spec.name));
  }
  return bytes;
}

function listInterpreters(): void {
  const choices = INTERPRETERS[el.language.value as Language];
  if ([...el.interpreter.options].map((o) => o.value).join() === choices.map((c) => c.name).join()) return;
  el.interpreter.replaceChildren(...choices.map((c) => option(c.name, c.note ? `${c.name} (${c.note})` : c.name)));
}
el.language.addEventListener("change", listInterpreters);

function option(value: string, text: string): HTMLOptionElement {
  const o = document.createElement("option");
  o.value = value;
  o.textContent = text;
  return o;
}

interface State {
  result?: Exploration;
  /** The source and interpreter the result was made from. */
  ran?: string;
  colour: (pc: number | undefined) => string;
  /** The selected request (by position), and what is selected in it. */
  request: number;
  sel?: Selection;
  /** Bumped by every drawing and detail request: an answer for an older one is dropped. */
  drawing: number;
  detail: number;
}
const state: State = { request: 0, colour: palette([]), drawing: 0, detail: 0 };

const nextFrame = () => new Promise<void>((r) => requestAnimationFrame(() => setTimeout(r, 0)));
const fmtMs = (ms: number) => (ms < 10 ? ms.toFixed(2) : ms < 100 ? ms.toFixed(1) : ms.toFixed(0)) + " ms";
const kb = (n: number) => `${(n / 1024).toFixed(1)} KiB`;

// ---- editor and examples ---------------------------------------------------------------------------------------

function showError(e: Error): void {
  el.error.hidden = false;
  el.error.textContent = e.message;
  editor.showError(e instanceof ProgramError ? e.line : undefined);
}

function clearError(): void {
  el.error.hidden = true;
  el.error.textContent = "";
  editor.showError(undefined);
}

el.example.append(option("", "(your program)"), ...EXAMPLES.map((ex) => option(ex.name, ex.name)));
function loadExample(name: string): void {
  const ex = EXAMPLES.find((e) => e.name === name);
  if (!ex) return;
  editor.value = ex.source;
  el.language.value = languageOf(ex.name);
  listInterpreters();
  clearError();
}
el.example.addEventListener("change", () => loadExample(el.example.value));
editor.text.addEventListener("input", () => {
  el.example.value = "";
  if (!el.error.hidden) clearError();
});
editor.onLine = (line) => {
  const r = state.result;
  if (!r) return;
  const inFunc = (f: number) => r.functions[f]?.instructions.find((i) => i.line === line);
  const cur = state.sel?.kind === "pc" ? state.sel.func : (r.requests[state.request]?.func ?? 0);
  const func = inFunc(cur) ? cur : r.functions.findIndex((f) => f.instructions.some((i) => i.line === line));
  const ins = func >= 0 ? inFunc(func) : undefined;
  if (ins) void select(func, ins.pc);
};

// ---- running --------------------------------------------------------------------------------------------------

/** Max contexts: empty for the default, else a whole number ≥ 1 (anything else is the learner's mistake, said). */
function maxContexts(): number | undefined {
  const v = el.maxContexts.value.trim();
  if (v === "") return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1)
    throw new ProgramError(`Max contexts must be a whole number of at least 1 (or empty for the default), got '${v}'`);
  return n;
}

function setStatus(s: string): void {
  el.status.textContent = s;
}

async function runPipeline(): Promise<void> {
  if (el.run.disabled) return;
  el.run.disabled = true;
  el.stop.disabled = false;
  clearError();
  document.body.dataset.state = "running";
  const language = el.language.value as Language;
  const t0 = performance.now();
  try {
    const limits = maxContexts();
    const bytes = await interpreter(language, el.interpreter.value);
    const ran = `${el.interpreter.value}\n${editor.value}`;
    const result = await explore(
      { language, source: editor.value, interpreter: bytes, limits: limits ? { maxContexts: limits } : undefined },
      (s) => setStatus(s + "…"),
    );
    state.ran = ran;
    setStatus("drawing…");
    await showResult(result);
    document.body.dataset.graphsMs = String(Math.round(performance.now() - t0));
    document.querySelector("main")!.classList.remove("stale");
    await runBoth(result);
    setStatus("done");
    writeShared(shared());
    document.body.dataset.state = "done";
  } catch (e) {
    if (e instanceof Stopped) {
      setStatus(`stopped (${e.message})`);
      document.body.dataset.state = "stopped";
      return;
    }
    document.body.dataset.state = "error";
    document.querySelector("main")!.classList.add("stale");
    setStatus(e instanceof ProgramError ? "the program has an error" : "failed");
    showError(e as Error);
    if (!(e instanceof ProgramError)) console.error(e);
  } finally {
    el.run.disabled = false;
    el.stop.disabled = true;
  }
}
el.run.addEventListener("click", () => void runPipeline());
el.stop.addEventListener("click", () => {
  stopAll();
  warmUp(); // fresh workers, ready for the next run
});
editor.text.addEventListener("keydown", (e) => {
  if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
    e.preventDefault();
    void runPipeline();
  }
});

/** Both modules, one after the other, each in its own worker; a stopped run is reported, not thrown. */
async function runBoth(r: Exploration): Promise<void> {
  const runs = Number(el.runs.value);
  // A Brainfuck example's input and expected output live beside it (.in, .out).
  const example = EXAMPLES.find((e) => e.source === editor.value);
  const input = example?.input === undefined ? undefined : new TextEncoder().encode(example.input);
  const stopped = (e: unknown): RunOutcome => {
    if (!(e instanceof Stopped)) throw e;
    return { stdout: "", error: e.message, ms: [] };
  };
  for (const p of [el.outInterpreted, el.outWevaled, el.timeInterpreted, el.timeWevaled, el.verdict])
    p.textContent = "";
  setStatus("running the interpreter (the snapshot)…");
  const interpreted = await timedRun(r.snapshotWasm, r.language, r.programBytes, runs, input).catch(stopped);
  setStatus("running the wevaled module…");
  const wevaled = interpreted.ms.length
    ? await timedRun(r.wevaledWasm, r.language, r.programBytes, runs, input).catch(stopped)
    : { stdout: "", error: "not run: the interpreter's run was stopped", ms: [] };
  renderRuns(r, interpreted, wevaled, r.expect ?? example?.expect);
}

async function showResult(r: Exploration): Promise<void> {
  state.result = r;
  state.sel = undefined;
  renderListing(r);
  renderStats(r);
  renderAborts(r);
  el.request.replaceChildren(
    ...r.requests.map((q) =>
      option(
        String(q.position),
        `${r.functions[q.func]?.name ?? `function ${q.func}`}${q.stats.aborted ? " (aborted)" : ""}`,
      ),
    ),
  );
  const main = r.requests.find((q) => q.func === 0) ?? r.requests[0];
  state.request = main?.position ?? 0;
  el.request.value = String(state.request);
  await renderGraphs();
  renderDetail();
}

/** Run 1 is cold: the module was just compiled, so V8 starts it in Liftoff (and a long call stays there: no
 *  on-stack replacement). Runs 2.. are new instances of the same compiled module: warm, tiered up. */
function renderRuns(r: Exploration, interpreted: RunOutcome, wevaled: RunOutcome, expect: string | undefined): void {
  const show = (pre: HTMLElement, time: HTMLElement, o: RunOutcome) => {
    pre.textContent = o.stdout + (o.error ? `\n[error] ${o.error}` : "");
    pre.classList.toggle("has-error", !!o.error);
    if (o.ms.length === 0) {
      time.textContent = o.error ?? "not run";
      delete time.dataset.ms;
      return { cold: NaN, warm: undefined };
    }
    const cold = o.ms[0];
    const warm = o.ms.slice(1).sort((a, b) => a - b);
    const median = warm.length ? warm[Math.floor(warm.length / 2)] : undefined;
    const warmText =
      median === undefined
        ? ""
        : ` · warm ${fmtMs(median)} median of ${warm.length}${warm.length > 1 ? ` (min ${fmtMs(warm[0])}, max ${fmtMs(warm.at(-1)!)})` : ""}`;
    time.textContent = `first call ${fmtMs(cold)}${warmText}${r.language === "toy" && o.result !== undefined ? ` · halt ${o.result}` : ""}`;
    time.dataset.ms = String(cold);
    if (median !== undefined) time.dataset.warmMs = String(median);
    return { cold, warm: median };
  };
  const ti = show(el.outInterpreted, el.timeInterpreted, interpreted);
  const tw = show(el.outWevaled, el.timeWevaled, wevaled);
  const same =
    interpreted.stdout === wevaled.stdout &&
    interpreted.error === wevaled.error &&
    interpreted.result === wevaled.result;
  const expected =
    expect === undefined
      ? ""
      : interpreted.stdout === expect
        ? " Matches the program's expected output."
        : " DIFFERS from the program's expected output.";
  const stopped =
    Number.isNaN(ti.cold) || Number.isNaN(tw.cold) ? (interpreted.error ?? wevaled.error ?? "stopped") : undefined;
  const v = verdict({
    same,
    interpreted: ti,
    wevaled: tw,
    aborted: r.requests.filter((q) => q.stats.aborted).length,
    requests: r.requests.length,
    stopped,
  });
  el.verdict.textContent =
    v.text +
    (stopped
      ? ""
      : `${expected} The first call runs in V8's baseline tier (Liftoff) and a long call stays there; more runs (fresh instances of the same compiled module) show the optimized tier. One machine, one page: ±15% is noise.`);
  el.verdict.className = v.kind;
}

function renderAborts(r: Exploration): void {
  const aborted = r.requests.filter((q) => q.stats.aborted);
  el.abort.hidden = aborted.length === 0;
  el.abort.textContent = aborted
    .map(
      (q) =>
        `Specialization of ${r.functions[q.func]?.name ?? "request " + q.position} aborted: ${q.stats.aborted} — the interpreter runs it instead.`,
    )
    .join("\n");
}

function renderStats(r: Exploration): void {
  const s = r.specialize;
  const rows: [string, string][] = [
    ["compile", fmtMs(r.times.compileMs) + ` · ${r.programBytes.length} bytes of bytecode`],
    ["snapshot", fmtMs(r.times.snapshotMs) + ` · ${kb(r.snapshotWasm.length)}`],
    ["specialize", fmtMs(r.times.specializeMs) + ` · ${kb(s.inputBytes)} → ${kb(s.rawBytes ?? 0)} before binaryen`],
    ["binaryen optimize", fmtMs(r.times.optimizeMs) + ` · ${kb(s.outputBytes)} out`],
  ];
  const table = document.createElement("table");
  for (const [k, v] of rows) table.insertRow().append(cell("th", k), cell("td", v));
  const reqs = document.createElement("div");
  reqs.className = "request-list";
  for (const q of r.requests) {
    const st = q.stats;
    const d = document.createElement("div");
    d.className = "request-stats";
    const name = r.functions[q.func]?.name ?? `request ${q.position}`;
    if (st.aborted) d.textContent = `${name} (${st.generic}): ABORTED, the interpreter will run: ${st.aborted}`;
    else {
      const c = st.cleanup;
      d.textContent =
        `${name} (${st.generic}): table slot ${st.tableIndex}; ${st.contexts} contexts, ${st.blocks} blocks (generic ${st.genericBlocks}), ${st.values} values, ${fmtMs(st.ms)}` +
        (c
          ? `\n  cleanup ${fmtMs(c.ms)}: ${c.redundantParams} redundant parameters, ${c.deadValues} dead values, ${c.threaded} jumps threaded, ${c.merged} blocks merged → ${c.blocks} blocks, ${st.size} values; binaryen: ${st.optimize}`
          : "") +
        st.runtimeCauses
          .slice(0, 5)
          .map(([cause, n]) => `\n  runtime ×${n}: ${cause}`)
          .join("");
    }
    reqs.append(d);
  }
  el.stats.replaceChildren(table, reqs);
}

function cell(tag: "th" | "td", text: string): HTMLElement {
  const c = document.createElement(tag);
  c.textContent = text;
  return c;
}

// ---- listing --------------------------------------------------------------------------------------------------

function renderListing(r: Exploration): void {
  state.colour = palette(r.functions.flatMap((f) => f.instructions.map((i) => i.pc)));
  const parts: HTMLElement[] = [];
  for (const f of r.functions) {
    const table = document.createElement("table");
    table.className = "listing";
    if (r.functions.length > 1) table.createCaption().textContent = `fn ${f.name}`;
    for (const ins of f.instructions) {
      const row = table.insertRow();
      row.dataset.func = String(f.index);
      row.dataset.pc = String(ins.pc);
      row.tabIndex = -1;
      row.append(cell("td", String(ins.pc)), cell("td", ins.text), cell("td", ins.line ? `line ${ins.line}` : ""));
      row.cells[0].style.background = state.colour(ins.pc);
      row.addEventListener("click", () => void select(f.index, ins.pc));
    }
    parts.push(table);
  }
  el.listing.replaceChildren(...parts);
  el.listing.querySelector("tr")?.setAttribute("tabindex", "0");
}

/** Arrow keys move the selection along the listing; Home/End jump to the ends. */
el.listing.addEventListener("keydown", (e) => {
  const rows = [...el.listing.querySelectorAll<HTMLTableRowElement>("tr")];
  const at = rows.indexOf(document.activeElement as HTMLTableRowElement);
  const to = { ArrowDown: at + 1, ArrowUp: at - 1, Home: 0, End: rows.length - 1 }[e.key];
  if (to === undefined || !rows[to]) return;
  e.preventDefault();
  rows[to].focus();
  void select(Number(rows[to].dataset.func), Number(rows[to].dataset.pc));
});

// ---- graphs and the selection ---------------------------------------------------------------------------------

function currentRequest(): RequestView | undefined {
  return state.result?.requests[state.request];
}

generic.onPick = (node) => {
  const m = /^g-block(\d+)$/.exec(node.id);
  if (m) selectGeneric(Number(m[1]));
};
specialized.onPick = (node) => {
  const q = currentRequest();
  if (!q) return;
  const m = /^s-block(\d+)$/.exec(node.id);
  const b = m
    ? [...(q.cleaned?.blocks ?? []), ...(q.specialized?.blocks ?? [])].find((x) => x.id === Number(m[1]))
    : undefined;
  const pc = b ? b.pc : /^s-ctx(\d+)$/.exec(node.id)?.[1];
  if (pc !== undefined) void select(q.func, Number(pc));
};

async function renderGraphs(): Promise<void> {
  const q = currentRequest();
  if (!q) return;
  const drawing = ++state.drawing;
  document.body.dataset.drawing = String(drawing);
  try {
    await drawGraphs(q, drawing);
  } finally {
    if (drawing === state.drawing) document.body.dataset.drawn = String(drawing);
  }
}

async function drawGraphs(q: RequestView, drawing: number): Promise<void> {
  el.genericName.textContent = `(${q.generic.name}: ${q.generic.blocks.length} blocks, max-SSA)`;
  const blocks = el.cleaned.checked ? q.cleaned?.blocks : q.specialized?.blocks;
  const entry = el.cleaned.checked ? q.cleaned?.entry : q.specialized?.entry;
  const gSpec = genericGraph(q.generic.blocks, q.generic.entry);
  const sSpec = blocks && entry !== undefined ? specializedGraph(blocks, entry, state.colour) : undefined;
  // Both layouts start now (one worker, in order): the specialized one first, usually the smaller; each is drawn
  // as soon as it is ready.
  const sSvg = sSpec && layoutSvg(sSpec.dot);
  const gSvg = layoutSvg(gSpec.dot);
  if (!sSpec || !sSvg) {
    specialized.clear();
    el.graphNote.hidden = false;
    el.graphNote.textContent = `Not specialized: ${q.stats.aborted ?? "no specialized function"}. The interpreter runs this function.`;
  } else {
    const text = await sSvg;
    if (drawing !== state.drawing) return;
    el.graphNote.hidden = !sSpec.note;
    el.graphNote.textContent = sSpec.note ?? "";
    specialized.pane.dataset.nodes = String(sSpec.nodes);
    if (specialized.show(sSpec.dot, () => text))
      specialized.centre(
        specialized.pane.querySelector(`#s-block${entry}`) ?? specialized.pane.querySelector("g.node"),
      );
    highlight();
  }
  const text = await gSvg;
  if (drawing !== state.drawing) return;
  if (generic.show(gSpec.dot, () => text)) generic.centre(generic.pane.querySelector(`#g-block${q.generic.entry}`));
  nameHandlers(state.result!);
  highlight();
}

/** Hovering a case of the dispatch says which opcodes it handled in this program (selection.ts, handlers). */
function nameHandlers(r: Exploration): void {
  for (const [block, ops] of handlers(r)) {
    const node = generic.pane.querySelector(`#g-block${block}`);
    const title = node?.querySelector("title");
    if (title) title.textContent = `block${block}: handles ${ops.join(", ")} (in this program)`;
    node?.setAttribute("aria-label", `block${block}, handles ${ops.join(", ")}`);
  }
}

el.request.addEventListener("change", async () => {
  state.request = Number(el.request.value);
  state.sel = undefined;
  await renderGraphs();
  renderDetail();
});
el.cleaned.addEventListener("change", async () => {
  await renderGraphs();
  renderDetail();
});

export async function select(func: number, pc: number): Promise<void> {
  const r = state.result;
  if (!r) return;
  const q = r.requests.find((x) => x.func === func);
  state.sel = { kind: "pc", func, pc };
  if (q && q.position !== state.request) {
    state.request = q.position;
    el.request.value = String(q.position);
    await renderGraphs();
  }
  highlight();
  renderDetail();
  writeShared(shared());
}

function selectGeneric(block: number): void {
  state.sel = { kind: "generic", block };
  highlight();
  renderDetail();
  writeShared(shared());
}

function highlight(): void {
  const q = currentRequest();
  const r = state.result;
  const sel = state.sel;
  const res = q && r && sel ? resolveSelection(r, q, sel, el.cleaned.checked) : undefined;
  for (const row of el.listing.querySelectorAll<HTMLTableRowElement>("tr.selected")) row.classList.remove("selected");
  const row =
    res?.pc !== undefined
      ? el.listing.querySelector<HTMLTableRowElement>(`tr[data-func="${q!.func}"][data-pc="${res.pc}"]`)
      : null;
  row?.classList.add("selected");
  row?.scrollIntoView({ block: "nearest" });
  editor.showLine(
    res?.pc !== undefined ? r!.functions[q!.func]?.instructions.find((i) => i.pc === res.pc)?.line : undefined,
  );
  for (const n of specialized.pane.querySelectorAll("g.node.highlight, g.node.dim"))
    n.classList.remove("highlight", "dim");
  for (const n of generic.pane.querySelectorAll("g.node.highlight")) n.classList.remove("highlight");
  if (!res) return;
  const chosen = new Set(res.drawn.map((b) => `s-block${b.id}`));
  if (res.pc !== undefined) chosen.add(`s-ctx${res.pc}`);
  else for (const b of res.drawn) if (b.pc !== undefined) chosen.add(`s-ctx${b.pc}`);
  for (const n of specialized.pane.querySelectorAll<SVGGElement>("g.node"))
    n.classList.add(chosen.has(n.id) ? "highlight" : "dim");
  for (const b of res.generic) generic.pane.querySelector(`#g-block${b}`)?.classList.add("highlight");
  specialized.centre(specialized.pane.querySelector("g.node.highlight"));
  if (sel!.kind === "pc") generic.centre(generic.pane.querySelector("g.node.highlight"));
}

/** At most this many blocks are printed in the IR-after pane. */
const MAX_PRINTED = 40;

function renderDetail(): void {
  const q = currentRequest();
  const r = state.result;
  if (!q || !r) return;
  const detail = ++state.detail;
  if ((document.getElementById("final-wasm-details") as HTMLDetailsElement).open)
    void finalText(q.position).then((t) => detail === state.detail && (el.finalWasm.textContent = t));
  if (!state.sel) {
    el.detailTitle.firstChild!.textContent = "One instruction, before and after ";
    for (const p of [el.irBefore, el.irAfter, el.wasmBefore, el.wasmAfter, el.context, el.wasmDiff]) p.textContent = "";
    return;
  }
  const res = resolveSelection(r, q, state.sel, el.cleaned.checked);
  el.detailTitle.firstChild!.textContent = res.title;
  const ctx = res.context;
  el.context.textContent = ctx === undefined ? "" : `Context ${ctx}: ${contextWords(ctx, r, q.func)}.`;
  el.irBefore.textContent =
    res.generic.map((id) => q.generic.blocks.find((b) => b.id === id)!.lines.join("\n")).join("\n") ||
    "(no generic block was specialized for this pc)";
  const pcNote = (b: SpecializedBlock | CleanedBlock) =>
    b.pcs.length > 1 ? ` · pcs ${b.pcs.join(", ")} merged here` : b.pc !== undefined ? ` · pc ${b.pc}` : "";
  const printed = res.drawn
    .slice(0, MAX_PRINTED)
    .map((b) => `; context ${b.context}${pcNote(b)}\n${b.lines.join("\n")}`)
    .join("\n");
  const more = res.drawn.length > MAX_PRINTED ? `\n; … and ${res.drawn.length - MAX_PRINTED} more blocks` : "";
  el.irAfter.textContent = q.stats.aborted
    ? `(not specialized: ${q.stats.aborted})`
    : printed + more || "(no block: the cleanup merged or removed this code)";
  el.wasmBefore.textContent = el.wasmAfter.textContent = "…";
  void wasmText(q.position, res.generic, q.cleaned ? res.cleaned : []).then(
    (w) => {
      if (detail !== state.detail) return;
      el.wasmBefore.textContent = w.before;
      el.wasmAfter.textContent = q.cleaned ? w.after : "";
      renderDiff(w.before, q.cleaned ? w.after : "");
      document.body.dataset.detail = String(detail);
    },
    (e: Error) => {
      if (detail !== state.detail) return;
      el.wasmBefore.textContent = el.wasmAfter.textContent = `;; could not print this selection as Wasm: ${e.message}`;
      document.body.dataset.detail = String(detail);
    },
  );
}
document.getElementById("final-wasm-details")!.addEventListener("toggle", () => renderDetail());

function renderDiff(before: string, after: string): void {
  const [a, b] = [before.split("\n"), after.split("\n")];
  if (a.length > DIFF_MAX_LINES || b.length > DIFF_MAX_LINES) {
    el.wasmDiff.textContent = `(over ${DIFF_MAX_LINES} lines: compare the two panes above)`;
    return;
  }
  const sign = { same: "  ", del: "− ", ins: "+ " };
  el.wasmDiff.replaceChildren(
    ...diffLines(a, b).map((d) => {
      const line = document.createElement("span");
      line.className = d.kind;
      line.textContent = sign[d.kind] + d.text + "\n";
      return line;
    }),
  );
}

// ---- sharing, the tour, start -----------------------------------------------------------------------------------

function shared(): Shared {
  const sel = state.sel;
  return {
    language: el.language.value as Language,
    interpreter: el.interpreter.value,
    source: editor.value,
    maxContexts: el.maxContexts.value.trim() || undefined,
    runs: el.runs.value,
    cleaned: el.cleaned.checked,
    select: sel?.kind === "pc" ? `${sel.func}:${sel.pc}` : sel ? `g${sel.block}` : undefined,
  };
}

el.tour.addEventListener("click", async () => {
  const sum = EXAMPLES.find((e) => e.name === "sum.asm")!;
  if (state.ran !== `toy\n${sum.source}` || document.body.dataset.state !== "done") {
    el.example.value = sum.name;
    loadExample(sum.name);
    el.maxContexts.value = "";
    await runPipeline();
  }
  if (state.ran === `toy\n${sum.source}`)
    await startTour({ select, selectGeneric, state: () => state, cleaned: el.cleaned });
});

async function start(): Promise<void> {
  warmUp();
  const s = readShared();
  if (s) {
    el.language.value = s.language;
    listInterpreters();
    if (INTERPRETERS[s.language].some((i) => i.name === s.interpreter)) el.interpreter.value = s.interpreter;
    editor.value = s.source;
    el.example.value = EXAMPLES.find((e) => e.source === s.source)?.name ?? "";
    el.maxContexts.value = s.maxContexts ?? "";
    if ([...el.runs.options].some((o) => o.value === s.runs)) el.runs.value = s.runs!;
    el.cleaned.checked = s.cleaned;
  } else {
    const initial = new URLSearchParams(location.search).get("example") ?? "sum.asm";
    el.example.value = EXAMPLES.some((e) => e.name === initial) ? initial : EXAMPLES[0].name;
    loadExample(el.example.value);
  }
  document.body.dataset.state = "ready";
  await nextFrame();
  await runPipeline();
  const sel = s?.select;
  const m = sel ? /^(\d+):(\d+)$|^g(\d+)$/.exec(sel) : null;
  if (m && state.result) {
    if (m[3] !== undefined) selectGeneric(Number(m[3]));
    else await select(Number(m[1]), Number(m[2]));
  }
  document.body.dataset.loaded = "1";
}
void start();
