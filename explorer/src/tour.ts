// The guided walk-through over the default example (sum-to-100M, toy): five steps, each selecting what it
// describes, from the interpreter's loop to the whole program compiled. Shown in the #tour panel; Back, Next and
// Close (or Escape) move through it.
import type { Exploration } from "./pipeline.ts";

/** The page, with sum-to-100M run (main.ts runs it before starting the tour). */
export interface TourHost {
  select(func: number, pc: number): Promise<void>;
  selectGeneric(block: number): void;
  state(): { result?: Exploration };
  cleaned: HTMLInputElement;
}

interface Step {
  title: string;
  text: string;
  /** Select what the step describes. */
  show(h: TourHost, r: Exploration): Promise<void> | void;
}

const pcOf = (r: Exploration, op: string) => r.functions[0].instructions.find((i) => i.text.startsWith(op))?.pc ?? 0;
const setCleaned = (h: TourHost, on: boolean) => {
  if (h.cleaned.checked === on) return;
  h.cleaned.checked = on;
  h.cleaned.dispatchEvent(new Event("change"));
};

const STEPS: Step[] = [
  {
    title: "Step 1 of 5: the interpreter's loop",
    text: "Left: the toy interpreter's own code, read from its Wasm — one box per basic block. The highlighted block is the dispatch: a br_table on the opcode, which every instruction of every program goes through. This loop is all the specializer is given, with the program's bytecode in memory.",
    show: (h, r) => {
      setCleaned(h, true);
      const d = r.requests[0]?.generic.blocks.find((b) => b.name?.includes("dispatch"));
      if (d) h.selectGeneric(d.id);
    },
  },
  {
    title: "Step 2 of 5: the program, as bytecode",
    text: "Middle: sum-to-100M assembled; each instruction has a pc (its byte offset) and a colour. The interpreter tells the specializer which pc it is at (weval.update.context(pc)): each pc becomes a context, and the loop is copied once per context with the bytecode folded in. Selected: pc 0, and its source line.",
    show: (h) => h.select(0, 0),
  },
  {
    title: "Step 3 of 5: one instruction, before and after",
    text: "DEC selected: red in the left graph are the interpreter blocks it ran through (fetch, dispatch, the DEC handler); right, the block made for its pc. Below, their IR and Wasm: the fetch and the dispatch are gone, only the subtraction is left.",
    show: (h, r) => h.select(0, pcOf(r, "DEC")),
  },
  {
    title: "Step 4 of 5: before cleanup, one copy per context",
    text: "“After cleanup” off: the blocks as the specializer made them, each in its first copy's context colour. A straight line of instructions is already one block (its other pcs are listed in the node); the cleanup then removes what is left over and merges the rest, one block per loop of the program.",
    show: async (h, r) => {
      setCleaned(h, false);
      await h.select(0, pcOf(r, "DEC"));
    },
  },
  {
    title: "Step 5 of 5: the whole program, compiled",
    text: "“After cleanup” on, and below the specialized function after binaryen: sum's loop is a Wasm loop with no interpreter left in it. Right: the interpreter and the wevaled module ran the same program and printed the same thing; the verdict says how much faster.",
    show: async (h, r) => {
      setCleaned(h, true);
      await h.select(0, pcOf(r, "JMPNZ"));
      const details = document.getElementById("final-wasm-details") as HTMLDetailsElement;
      details.open = true;
      details.scrollIntoView({ block: "nearest" });
    },
  },
];

let at = 0;

export async function startTour(h: TourHost): Promise<void> {
  const panel = document.getElementById("tour")!;
  const title = document.getElementById("tour-title")!;
  const text = document.getElementById("tour-text")!;
  const back = document.getElementById("tour-back") as HTMLButtonElement;
  const next = document.getElementById("tour-next") as HTMLButtonElement;
  const go = async (i: number) => {
    at = i;
    panel.dataset.step = String(i + 1);
    title.textContent = STEPS[i].title;
    text.textContent = STEPS[i].text;
    back.disabled = i === 0;
    next.textContent = i === STEPS.length - 1 ? "Close" : "Next ▶";
    await STEPS[i].show(h, h.state().result!);
  };
  back.onclick = () => void go(Math.max(0, at - 1));
  next.onclick = () => (at === STEPS.length - 1 ? close() : void go(at + 1));
  const close = () => {
    panel.hidden = true;
    document.removeEventListener("keydown", onKey);
  };
  const onKey = (e: KeyboardEvent) => e.key === "Escape" && close();
  document.getElementById("tour-close")!.onclick = close;
  document.addEventListener("keydown", onKey);
  panel.hidden = false;
  await go(0);
  next.focus();
}
