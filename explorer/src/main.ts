// The explorer page: wires the editor, the controls and the views to pipeline.ts (which runs the real stages) and
// graphs.ts (Graphviz). The views are linked by one selection — a bytecode function and pc: clicking an
// instruction in the listing, or a block of the specialized graph, highlights the specialized blocks made for that
// pc and the generic blocks they copy, and shows their IR and Wasm text before and after; clicking a generic block
// highlights all its copies. Errors stay in the page:
// a program that does not compile shows the CLI's `file:line:col: error: …` beside its line, an aborted request
// shows its reason while its function runs interpreted. Relies on pipeline.ts, graphs.ts, wasm-text.ts and
// examples.ts.
import { EXAMPLES, languageOf } from "./examples.ts";
import { drawGeneric, drawSpecialized, pcColour } from "./graphs.ts";
import { explore, stopRunning, ProgramError, type CleanedBlock, type Exploration, type Language, type RequestView, type SpecializedBlock } from "./pipeline.ts";
import { WasmPrinter } from "./wasm-text.ts";

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const el = {
  example: $<HTMLSelectElement>("example"),
  language: $<HTMLSelectElement>("language"),
  interpreter: $<HTMLSelectElement>("interpreter"),
  maxContexts: $<HTMLInputElement>("max-contexts"),
  runs: $<HTMLSelectElement>("runs"),
  run: $<HTMLButtonElement>("run"),
  stop: $<HTMLButtonElement>("stop"),
  status: $("status"),
  source: $<HTMLTextAreaElement>("source"),
  gutter: $("gutter"),
  error: $("error"),
  errorMarker: $("error-marker"),
  listing: $("listing"),
  abort: $("abort"),
  outInterpreted: $("out-interpreted"),
  outWevaled: $("out-wevaled"),
  timeInterpreted: $("time-interpreted"),
  timeWevaled: $("time-wevaled"),
  verdict: $("verdict"),
  stats: $("stats"),
  genericName: $("generic-name"),
  genericGraph: $("generic-graph"),
  request: $<HTMLSelectElement>("request"),
  cleaned: $<HTMLInputElement>("cleaned"),
  graphNote: $("graph-note"),
  specializedGraph: $("specialized-graph"),
  detailTitle: $("detail-title"),
  irBefore: $("ir-before"),
  irAfter: $("ir-after"),
  wasmBefore: $("wasm-before"),
  wasmAfter: $("wasm-after"),
  finalWasm: $("final-wasm"),
};

/** The shipped interpreters (build/interp/, as `futamura build-interp` writes them) for each language. Fern has
 *  two: its locals and stack as weval registers, and `fern-memory`, the control that leaves them in memory. */
const INTERPRETERS: Record<Language, { name: string; url: URL; note: string }[]> = {
  toy: [{ name: "toy", url: new URL("../../build/interp/toy.wasm", import.meta.url), note: "" }],
  fern: [
    { name: "fern", url: new URL("../../build/interp/fern.wasm", import.meta.url), note: "locals and stack as registers" },
    { name: "fern-memory", url: new URL("../../build/interp/fern-memory.wasm", import.meta.url), note: "locals and stack in memory" },
  ],
};
const interpreterBytes = new Map<string, Uint8Array>();
async function interpreter(language: Language, name: string): Promise<Uint8Array> {
  const spec = INTERPRETERS[language].find((i) => i.name === name) ?? INTERPRETERS[language][0];
  let bytes = interpreterBytes.get(spec.name);
  if (!bytes) {
    const res = await fetch(spec.url);
    if (!res.ok) throw new Error(`cannot load the ${spec.name} interpreter (${res.status}): run \`npm run explorer:build\``);
    bytes = new Uint8Array(await res.arrayBuffer());
    interpreterBytes.set(spec.name, bytes);
  }
  return bytes;
}

function listInterpreters(): void {
  const choices = INTERPRETERS[el.language.value as Language];
  if ([...el.interpreter.options].map((o) => o.value).join() === choices.map((c) => c.name).join()) return;
  el.interpreter.replaceChildren(
    ...choices.map((c) => {
      const o = document.createElement("option");
      o.value = c.name;
      o.textContent = c.note ? `${c.name} (${c.note})` : c.name;
      return o;
    }),
  );
}
el.language.addEventListener("change", listInterpreters);

interface State {
  result?: Exploration;
  genericPrinter?: WasmPrinter;
  finalPrinter?: WasmPrinter;
  /** The selected request (by position), and what is selected in it. */
  request: number;
  sel?: Selection;
}

/** A bytecode instruction (from the listing or a specialized block) or a block of the generic function. */
type Selection = { kind: "pc"; pc: number } | { kind: "generic"; block: number };
const state: State = { request: 0 };

const nextFrame = () => new Promise<void>((r) => requestAnimationFrame(() => setTimeout(r, 0)));
const fmtMs = (ms: number) => (ms < 10 ? ms.toFixed(2) : ms < 100 ? ms.toFixed(1) : ms.toFixed(0)) + " ms";
const kb = (n: number) => `${(n / 1024).toFixed(1)} KiB`;

// ---- editor ---------------------------------------------------------------------------------------------------

function updateGutter(): void {
  const n = el.source.value.split("\n").length;
  el.gutter.textContent = Array.from({ length: n }, (_, i) => String(i + 1)).join("\n");
  el.gutter.scrollTop = el.source.scrollTop;
  placeErrorMarker();
}

let errorLine: number | undefined;
function placeErrorMarker(): void {
  if (errorLine === undefined) return;
  const lineHeight = parseFloat(getComputedStyle(el.source).lineHeight);
  const padTop = parseFloat(getComputedStyle(el.source).paddingTop);
  el.errorMarker.style.top = `${padTop + (errorLine - 1) * lineHeight - el.source.scrollTop}px`;
}

function showError(e: ProgramError | Error): void {
  el.error.hidden = false;
  el.error.textContent = e.message;
  errorLine = e instanceof ProgramError ? e.line : undefined;
  el.errorMarker.hidden = errorLine === undefined;
  if (errorLine !== undefined) {
    el.errorMarker.textContent = `◀ ${e.message.replace(/^[^:]*:\d+:\d+: /, "")}`;
    el.errorMarker.title = e.message;
    placeErrorMarker();
  }
}

function clearError(): void {
  el.error.hidden = true;
  el.error.textContent = "";
  el.errorMarker.hidden = true;
  errorLine = undefined;
}

el.source.addEventListener("input", () => {
  updateGutter();
  if (errorLine !== undefined) clearError();
});
el.source.addEventListener("scroll", () => {
  el.gutter.scrollTop = el.source.scrollTop;
  placeErrorMarker();
});

// ---- examples -------------------------------------------------------------------------------------------------

for (const ex of EXAMPLES) {
  const o = document.createElement("option");
  o.value = ex.name;
  o.textContent = ex.name;
  el.example.append(o);
}
function loadExample(name: string): void {
  const ex = EXAMPLES.find((e) => e.name === name);
  if (!ex) return;
  el.source.value = ex.source;
  el.language.value = languageOf(ex.name);
  listInterpreters();
  clearError();
  updateGutter();
}
el.example.addEventListener("change", () => loadExample(el.example.value));

// ---- running --------------------------------------------------------------------------------------------------

async function runPipeline(): Promise<void> {
  if (el.run.disabled) return;
  el.run.disabled = true;
  el.stop.disabled = false;
  clearError();
  const language = el.language.value as Language;
  const max = Number(el.maxContexts.value);
  try {
    const result = await explore({
      language,
      source: el.source.value,
      interpreter: await interpreter(language, el.interpreter.value),
      limits: max > 0 ? { maxContexts: max } : undefined,
      runs: Number(el.runs.value),
      progress: async (s) => {
        el.status.textContent = s + "…";
        await nextFrame();
      },
    });
    state.genericPrinter?.dispose();
    state.finalPrinter?.dispose();
    state.result = result;
    state.genericPrinter = await WasmPrinter.load(result.snapshotWasm);
    state.finalPrinter = await WasmPrinter.load(result.wevaledWasm);
    state.request = 0;
    state.sel = undefined;
    el.status.textContent = "drawing…";
    await nextFrame();
    await showResult(result);
    el.status.textContent = "done";
    rememberInUrl();
    document.querySelector("main")!.classList.remove("stale");
    document.body.dataset.state = "done";
  } catch (e) {
    document.body.dataset.state = "error";
    document.querySelector("main")!.classList.add("stale");
    el.status.textContent = e instanceof ProgramError ? "the program has an error" : "failed";
    showError(e as Error);
    if (!(e instanceof ProgramError)) console.error(e);
  } finally {
    el.run.disabled = false;
    el.stop.disabled = true;
  }
}
el.run.addEventListener("click", () => void runPipeline());
el.stop.addEventListener("click", () => stopRunning());
el.source.addEventListener("keydown", (e) => {
  if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
    e.preventDefault();
    void runPipeline();
  }
});

async function showResult(r: Exploration): Promise<void> {
  renderListing(r);
  renderRuns(r);
  renderStats(r);
  el.request.replaceChildren(
    ...r.requests.map((q) => {
      const o = document.createElement("option");
      o.value = String(q.position);
      o.textContent = `${r.functions[q.func]?.name ?? `function ${q.func}`}${q.stats.aborted ? " (aborted)" : ""}`;
      return o;
    }),
  );
  const main = r.requests.find((q) => q.func === 0) ?? r.requests[0];
  state.request = main?.position ?? 0;
  el.request.value = String(state.request);
  await renderGraphs();
  renderDetail();
}

/** Run 1 is cold: the module was just compiled, so V8 starts it in Liftoff (and a long call stays there: no
 *  on-stack replacement). Runs 2.. are new instances of the same compiled module: warm, tiered up. */
function renderRuns(r: Exploration): void {
  const show = (pre: HTMLElement, time: HTMLElement, o: Exploration["interpreted"]) => {
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
    const warmText = median === undefined ? "" : ` · warm ${fmtMs(median)} median of ${warm.length}${warm.length > 1 ? ` (min ${fmtMs(warm[0])}, max ${fmtMs(warm.at(-1)!)})` : ""}`;
    time.textContent = `first call ${fmtMs(cold)}${warmText}${r.language === "toy" && o.result !== undefined ? ` · halt ${o.result}` : ""}`;
    time.dataset.ms = String(cold);
    if (median !== undefined) time.dataset.warmMs = String(median);
    return { cold, warm: median };
  };
  const ti = show(el.outInterpreted, el.timeInterpreted, r.interpreted);
  const tw = show(el.outWevaled, el.timeWevaled, r.wevaled);
  const same = r.interpreted.stdout === r.wevaled.stdout && r.interpreted.error === r.wevaled.error && r.interpreted.result === r.wevaled.result;
  const expected = r.expect === undefined ? "" : r.interpreted.stdout === r.expect ? " · matches the program's `expect:` lines" : " · DIFFERS from the program's `expect:` lines";
  const ratio = (a: number, b: number) => (a / b).toFixed(1) + "×";
  const speed = Number.isNaN(ti.cold) || Number.isNaN(tw.cold) ? "stopped" : `wevaled ${ratio(ti.cold, tw.cold)} faster on the first call${ti.warm !== undefined && tw.warm !== undefined ? `, ${ratio(ti.warm, tw.warm)} warm` : ""}`;
  el.verdict.textContent = `${same ? "✓ same output" : "✗ outputs differ"} · ${speed}${expected}. The first call runs in V8's baseline tier (Liftoff) and a long call stays there; more runs (fresh instances of the same compiled module) show the optimized tier. One machine, one page: ±15% is noise.`;
  el.verdict.className = same ? "ok" : "bad";
  if (Number.isNaN(ti.cold) || Number.isNaN(tw.cold)) {
    el.verdict.textContent = `■ ${r.interpreted.error}: outputs not compared.`;
    el.verdict.className = "";
  }
  const aborted = r.requests.filter((q) => q.stats.aborted);
  el.abort.hidden = aborted.length === 0;
  el.abort.textContent = aborted.map((q) => `Specialization of ${r.functions[q.func]?.name ?? "request " + q.position} aborted: ${q.stats.aborted} — the interpreter runs it instead.`).join("\n");
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
        (c ? `\n  cleanup ${fmtMs(c.ms)}: ${c.redundantParams} redundant parameters, ${c.deadValues} dead values, ${c.threaded} jumps threaded, ${c.merged} blocks merged → ${c.blocks} blocks, ${st.size} values; binaryen: ${st.optimize}` : "") +
        st.runtimeCauses.slice(0, 5).map(([cause, n]) => `\n  runtime ×${n}: ${cause}`).join("");
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
  const parts: HTMLElement[] = [];
  for (const f of r.functions) {
    const table = document.createElement("table");
    table.className = "listing";
    if (r.functions.length > 1) table.createCaption().textContent = `fn ${f.name}`;
    for (const ins of f.instructions) {
      const row = table.insertRow();
      row.dataset.func = String(f.index);
      row.dataset.pc = String(ins.pc);
      row.append(cell("td", String(ins.pc)), cell("td", ins.text), cell("td", ins.line ? `line ${ins.line}` : ""));
      row.cells[0].style.background = pcColour(ins.pc);
      row.addEventListener("click", () => void select(f.index, ins.pc));
    }
    parts.push(table);
  }
  el.listing.replaceChildren(...parts);
}

// ---- graphs and the selection ---------------------------------------------------------------------------------

function currentRequest(): RequestView | undefined {
  return state.result?.requests[state.request];
}

async function renderGraphs(): Promise<void> {
  const q = currentRequest();
  if (!q) return;
  el.genericName.textContent = `(${q.generic.name}: ${q.generic.blocks.length} blocks, max-SSA)`;
  const g = await drawGeneric(q.generic.blocks, q.generic.entry);
  el.genericGraph.replaceChildren(g.svg);
  for (const node of g.svg.querySelectorAll<SVGGElement>("g.node")) {
    const m = /^g-block(\d+)$/.exec(node.id);
    if (m) node.addEventListener("click", () => selectGeneric(Number(m[1])));
  }
  centre(el.genericGraph, el.genericGraph.querySelector(`#g-block${q.generic.entry}`));
  const blocks = el.cleaned.checked ? q.cleaned?.blocks : q.specialized?.blocks;
  const entry = el.cleaned.checked ? q.cleaned?.entry : q.specialized?.entry;
  if (!blocks || entry === undefined) {
    el.specializedGraph.replaceChildren();
    el.graphNote.hidden = false;
    el.graphNote.textContent = `Not specialized: ${q.stats.aborted ?? "no specialized function"}. The interpreter runs this function.`;
    return;
  }
  const s = await drawSpecialized(blocks, entry);
  el.graphNote.hidden = !s.note;
  el.graphNote.textContent = s.note ?? "";
  el.specializedGraph.replaceChildren(s.svg);
  el.specializedGraph.dataset.nodes = String(s.nodes);
  for (const node of s.svg.querySelectorAll<SVGGElement>("g.node")) {
    node.addEventListener("click", () => {
      const m = /^s-block(\d+)$/.exec(node.id);
      const b = m ? blocks.find((x) => x.id === Number(m[1])) : undefined;
      const pc = b ? b.pc : /^s-ctx(\d+)$/.exec(node.id)?.[1];
      if (pc !== undefined) void select(q.func, Number(pc));
    });
  }
  highlight();
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

async function select(func: number, pc: number): Promise<void> {
  const r = state.result;
  if (!r) return;
  const q = r.requests.find((x) => x.func === func);
  state.sel = { kind: "pc", pc };
  if (q && q.position !== state.request) {
    state.request = q.position;
    el.request.value = String(q.position);
    await renderGraphs();
  }
  highlight();
  renderDetail();
}

function selectGeneric(block: number): void {
  state.sel = { kind: "generic", block };
  highlight();
  renderDetail();
}

/** What a selection stands for in the current request: the pc it is about (for the listing), the generic blocks,
 *  the specialized blocks in the drawn variant (cleaned or not), and the cleaned blocks (for the Wasm after). */
interface Resolved {
  title: string;
  pc?: number;
  generic: number[];
  drawn: (SpecializedBlock | CleanedBlock)[];
  cleaned: number[];
}

function resolve(r: Exploration, q: RequestView, sel: Selection): Resolved {
  const raw = q.specialized?.blocks ?? [];
  const cleaned = q.cleaned?.blocks ?? [];
  if (sel.kind === "pc") {
    const pc = sel.pc;
    const ins = r.functions[q.func]?.instructions.find((i) => i.pc === pc);
    const origs = new Set(raw.filter((b) => b.pc === pc).map((b) => b.orig));
    const inCleaned = cleaned.filter((b) => b.pcs.includes(pc));
    return {
      title: `pc ${pc}: ${ins?.text ?? "?"}${r.functions.length > 1 ? ` in fn ${r.functions[q.func].name}` : ""} — before and after `,
      pc,
      generic: q.generic.blocks.map((b) => b.id).filter((id) => origs.has(id)),
      drawn: el.cleaned.checked ? inCleaned : raw.filter((b) => b.pc === pc),
      cleaned: inCleaned.map((b) => b.id),
    };
  }
  const copies = raw.filter((b) => b.orig === sel.block);
  const inCleaned = cleaned.filter((b) => b.origs.includes(sel.block));
  const contexts = new Set(copies.map((b) => b.context)).size;
  return {
    title: `generic block${sel.block}: ${copies.length} cop${copies.length === 1 ? "y" : "ies"} in ${contexts} context${contexts === 1 ? "" : "s"} `,
    generic: [sel.block],
    drawn: el.cleaned.checked ? inCleaned : copies,
    cleaned: inCleaned.map((b) => b.id),
  };
}

function highlight(): void {
  const q = currentRequest();
  const r = state.result;
  const sel = state.sel;
  const res = q && r && sel ? resolve(r, q, sel) : undefined;
  for (const row of el.listing.querySelectorAll<HTMLTableRowElement>("tr")) row.classList.toggle("selected", res?.pc !== undefined && Number(row.dataset.func) === q!.func && Number(row.dataset.pc) === res.pc);
  for (const n of el.specializedGraph.querySelectorAll("g.node.highlight, g.node.dim")) n.classList.remove("highlight", "dim");
  for (const n of el.genericGraph.querySelectorAll("g.node.highlight")) n.classList.remove("highlight");
  if (!res) return;
  const chosen = new Set(res.drawn.map((b) => `s-block${b.id}`));
  if (res.pc !== undefined) chosen.add(`s-ctx${res.pc}`);
  else for (const b of res.drawn) if (b.pc !== undefined) chosen.add(`s-ctx${b.pc}`);
  for (const n of el.specializedGraph.querySelectorAll<SVGGElement>("g.node")) n.classList.add(chosen.has(n.id) ? "highlight" : "dim");
  for (const b of res.generic) el.genericGraph.querySelector(`#g-block${b}`)?.classList.add("highlight");
  centre(el.specializedGraph, el.specializedGraph.querySelector("g.node.highlight"));
  if (sel!.kind === "pc") centre(el.genericGraph, el.genericGraph.querySelector("g.node.highlight"));
}

/** Scroll a graph's pane (not the page) so that `node` is in the middle. */
function centre(pane: HTMLElement, node: Element | null): void {
  if (!node) return;
  const p = pane.getBoundingClientRect();
  const n = node.getBoundingClientRect();
  pane.scrollLeft += n.left - p.left - p.width / 2 + n.width / 2;
  pane.scrollTop += n.top - p.top - p.height / 2 + n.height / 2;
}

/** At most this many blocks are printed in the IR-after pane. */
const MAX_PRINTED = 40;

function renderDetail(): void {
  const q = currentRequest();
  const r = state.result;
  if (!q || !r) return;
  el.finalWasm.textContent = q.stats.aborted ? `;; not specialized: ${q.stats.aborted}` : (state.finalPrinter?.tableFunctionText(q.stats.tableIndex) ?? "");
  if (!state.sel) {
    el.detailTitle.firstChild!.textContent = "One instruction, before and after ";
    for (const p of [el.irBefore, el.irAfter, el.wasmBefore, el.wasmAfter]) p.textContent = "";
    return;
  }
  const res = resolve(r, q, state.sel);
  el.detailTitle.firstChild!.textContent = res.title;
  el.irBefore.textContent = res.generic.map((id) => q.generic.blocks.find((b) => b.id === id)!.lines.join("\n")).join("\n") || "(no generic block was specialized for this pc)";
  const printed = res.drawn.slice(0, MAX_PRINTED).map((b) => `; context ${b.context}\n${b.lines.join("\n")}`).join("\n");
  const more = res.drawn.length > MAX_PRINTED ? `\n; … and ${res.drawn.length - MAX_PRINTED} more blocks` : "";
  el.irAfter.textContent = q.stats.aborted ? `(not specialized: ${q.stats.aborted})` : printed + more || "(no block: the cleanup merged or removed this code)";
  el.wasmBefore.textContent = wasmOf(() => state.genericPrinter!.fragmentText(q.generic.body, res.generic));
  el.wasmAfter.textContent = q.cleaned ? wasmOf(() => state.genericPrinter!.fragmentText(q.cleaned!.body, res.cleaned)) : "";
}

function wasmOf(make: () => string): string {
  try {
    return make();
  } catch (e) {
    return `;; could not print this selection as Wasm: ${(e as Error).message}`;
  }
}

for (const box of document.querySelectorAll<HTMLInputElement>("input[data-fit]")) box.addEventListener("change", () => $(box.dataset.fit!).classList.toggle("fit", box.checked));

// ---- start ----------------------------------------------------------------------------------------------------

/** The program, its language and interpreter in the page's address (#language=…&interpreter=…&source=…), after
 *  each run: the address reproduces what is on screen, to share or bookmark. */
function rememberInUrl(): void {
  const p = new URLSearchParams({ language: el.language.value, interpreter: el.interpreter.value, source: el.source.value });
  history.replaceState(null, "", `#${p}`);
}

function restoreFromUrl(): boolean {
  const p = new URLSearchParams(location.hash.slice(1));
  const source = p.get("source");
  const language = p.get("language");
  if (source === null || (language !== "toy" && language !== "fern")) return false;
  el.language.value = language;
  listInterpreters();
  if (INTERPRETERS[language].some((i) => i.name === p.get("interpreter"))) el.interpreter.value = p.get("interpreter")!;
  el.source.value = source;
  el.example.value = "";
  updateGutter();
  return true;
}

if (!restoreFromUrl()) {
  const initial = new URLSearchParams(location.search).get("example") ?? "sum.asm";
  el.example.value = EXAMPLES.some((e) => e.name === initial) ? initial : EXAMPLES[0].name;
  loadExample(el.example.value);
}
document.body.dataset.state = "ready";
