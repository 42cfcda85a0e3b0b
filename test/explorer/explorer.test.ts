// The explorer page in a real browser: Debian's chromium (/usr/bin/chromium, or $CHROMIUM) driven by
// playwright-core, against the page built by Vite and served by Vite's preview server. One build, one browser and
// one page for the whole file, to keep it quick. Screenshots go to build/explorer-screenshots/ for inspection.
// Timings (first graph after load, graphs after Compile, the longest main-thread task) are printed, not asserted:
// the machine is shared.
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { build, preview, type PreviewServer } from "vite";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { compileFern } from "../../lang/program.ts";
import { ROOT } from "../../util/root.ts";

const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";
const SHOTS = join(ROOT, "build", "explorer-screenshots");
const OUT = join(ROOT, "build", "explorer-test");
const configFile = join(ROOT, "explorer", "vite.config.ts");

let server: PreviewServer;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
  if (!existsSync(CHROMIUM))
    throw new Error(`no chromium at ${CHROMIUM}: apt-get install -y chromium (or set CHROMIUM)`);
  mkdirSync(SHOTS, { recursive: true });
  await build({ configFile, build: { outDir: OUT }, logLevel: "error" });
  server = await preview({
    configFile,
    build: { outDir: OUT },
    preview: { port: 0, host: "127.0.0.1" },
    logLevel: "error",
  });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  page = await browser.newPage({ viewport: { width: 1600, height: 1300 } });
  page.on("pageerror", (e) => pageErrors.push(e.message));
  // Every main-thread task over 50 ms (the browser's "long task"), for the report.
  await page.addInitScript(() => {
    const w = window as unknown as { longTasks: number[] };
    w.longTasks = [];
    new PerformanceObserver((l) => l.getEntries().forEach((e) => w.longTasks.push(Math.round(e.duration)))).observe({
      type: "longtask",
      buffered: true,
    });
  });
  const t = Date.now();
  await page.goto(server.resolvedUrls!.local[0]);
  await page.waitForSelector("#generic-graph svg", { timeout: 60_000 });
  firstGraphMs = Date.now() - t;
  await loaded();
});

let firstGraphMs = 0;
/** The page ran what it runs on load (the default example, or a shared link's program). */
const loaded = () => page.waitForFunction(() => document.body.dataset.loaded === "1", null, { timeout: 60_000 });
const longestTask = () => page.evaluate(() => Math.max(0, ...(window as unknown as { longTasks: number[] }).longTasks));

/** Each test's longest main-thread task, printed (the target is 200 ms; the machine is shared: not asserted). */
afterEach(async ({ task }) => {
  const ms = await page.evaluate(() => {
    const w = window as unknown as { longTasks: number[] };
    const m = Math.max(0, ...w.longTasks);
    w.longTasks = [];
    return m;
  });
  console.log(`explorer: longest main-thread task ${ms} ms in "${task.name}"`);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** Load an example (or type a program), run the pipeline, wait until the page says done or error. */
async function run(opts: {
  example?: string;
  source?: string;
  language?: "toy" | "fern";
  maxContexts?: string;
}): Promise<string> {
  if (opts.example) await page.selectOption("#example", opts.example);
  // Typed as one input event: playwright's fill inserts text in a way that costs seconds of the page's thread for a
  // few hundred lines (measured: 4.4 s for 243 lines; setting the value and the event, 5 ms).
  if (opts.source !== undefined)
    await page.evaluate((source) => {
      const t = document.getElementById("source") as HTMLTextAreaElement;
      t.value = source;
      t.dispatchEvent(new Event("input", { bubbles: true }));
    }, opts.source);
  if (opts.language) await page.selectOption("#language", opts.language);
  await page.fill("#max-contexts", opts.maxContexts ?? "");
  await page.evaluate(() => (document.body.dataset.state = "clicked"));
  await page.click("#run");
  await page.waitForFunction(() => ["done", "error", "stopped"].includes(document.body.dataset.state!), null, {
    timeout: 60_000,
  });
  return (await page.getAttribute("body", "data-state"))!;
}

/** Click every instruction of the listing, in the page, waiting for each one's Wasm; the texts that show an error. */
async function clickEveryInstruction(): Promise<{ clicked: number; errors: string[] }> {
  return page.evaluate(async () => {
    const errors: string[] = [];
    const rows = [...document.querySelectorAll<HTMLTableRowElement>("#listing tr")];
    for (const row of rows) {
      const before = document.body.dataset.detail;
      row.click();
      for (let i = 0; i < 400 && document.body.dataset.detail === before; i++)
        await new Promise((r) => setTimeout(r, 10));
      for (const id of ["ir-before", "ir-after", "wasm-before", "wasm-after", "error"]) {
        const t = document.getElementById(id)!.textContent!;
        if (/could not print|error:|Cannot read|undefined/i.test(t) && !(id === "error" && t === ""))
          errors.push(`fn ${row.dataset.func} pc ${row.dataset.pc} #${id}: ${t.slice(0, 200)}`);
      }
      if (document.body.dataset.detail === before)
        errors.push(`fn ${row.dataset.func} pc ${row.dataset.pc}: no Wasm after 4 s`);
    }
    return { clicked: rows.length, errors };
  });
}

const text = async (sel: string) => (await page.textContent(sel)) ?? "";
/** Wait for the graphs the page is drawing (layout runs in a worker). */
const drawn = () => page.waitForFunction(() => document.body.dataset.drawn === document.body.dataset.drawing);
async function cleaned(on: boolean): Promise<void> {
  await (on ? page.check("#cleaned") : page.uncheck("#cleaned"));
  await drawn();
}

describe("the explorer page", () => {
  it("runs sum-to-100M interpreted and wevaled with the same, right output, and draws both graphs", async () => {
    // The page runs the default example on load; graphs first, runs after.
    console.log(
      `explorer: default example's first graph ${firstGraphMs} ms after load; graphs ${await page.getAttribute("body", "data-graphs-ms")} ms after the run started; longest main-thread task during the load ${await longestTask()} ms`,
    );
    expect(await page.inputValue("#example")).toBe("sum.asm");
    expect(await run({ example: "sum.asm" })).toBe("done");
    expect(await text("#out-interpreted")).toBe("Result: 5000000050000000\n");
    expect(await text("#out-wevaled")).toBe(await text("#out-interpreted"));
    expect(await text("#verdict")).toMatch(/^✓ same output/);
    expect(Number(await page.getAttribute("#time-wevaled", "data-ms"))).toBeGreaterThan(0);
    // The toy interpreter's loop has 20 blocks; its specialization, after cleanup, a handful.
    expect(await page.locator("#generic-graph svg g.node").count()).toBe(20);
    const specialized = await page.locator("#specialized-graph svg g.node").count();
    expect(specialized).toBeGreaterThanOrEqual(2);
    expect(await text("#stats")).toMatch(/program \(\$\d+\): table slot \d+; 16 contexts, \d+ blocks \(generic 20\)/);
    // Before cleanup: the blocks as the specializer made them (the same ones `futamura build` makes: a straight line
    // of instructions is one block already, its other pcs listed), more than after, each in its context's colour.
    await cleaned(false);
    const raw = await page.locator("#specialized-graph svg g.node").count();
    expect(raw).toBeGreaterThan(specialized);
    expect(await page.locator("#specialized-graph svg g.node", { hasText: "+ pcs" }).count()).toBeGreaterThanOrEqual(1);
    await cleaned(true);
    await page.screenshot({ path: join(SHOTS, "sum.png"), fullPage: true });
  });

  it("clicking an instruction highlights the blocks made for it and shows its IR and Wasm before and after", async () => {
    const row = page.locator("#listing tr", { hasText: "DEC" }); // sum's loopc--
    const pc = (await row.getAttribute("data-pc"))!;
    await row.click();
    expect(await row.getAttribute("class")).toContain("selected");
    const lit = page.locator("#specialized-graph g.node.highlight");
    expect(await lit.count()).toBeGreaterThanOrEqual(1);
    expect(await page.locator("#generic-graph g.node.highlight").count()).toBeGreaterThanOrEqual(1);
    expect(await text("#detail-title")).toContain(`pc ${pc}: DEC`);
    // The dispatch's case it went through is named by what it handled in this program.
    expect(await page.locator('#generic-graph g.node.highlight[aria-label*="handles DEC"]').count()).toBe(1);
    expect(await text("#ir-before")).toMatch(/i64\.sub/); // the interpreter's acc -= 1
    expect(await text("#ir-after")).toMatch(/; context \[\d+\]/);
    // The Wasm is printed in the pipeline's worker: "…" until it arrives (slow under load).
    await page.waitForFunction(() => /^\(func \$fragment/.test(document.getElementById("wasm-before")!.textContent!));
    await page.waitForFunction(() => /i64\.sub/.test(document.getElementById("wasm-after")!.textContent!));
    // The diff: the interpreter's fetch and dispatch went (−), the subtraction stayed.
    await page.click("#diff-details summary");
    expect(await page.locator("#wasm-diff .del").count()).toBeGreaterThan(5);
    expect(await page.locator("#wasm-diff span:not(.del)", { hasText: "i64.sub" }).count()).toBeGreaterThanOrEqual(1);
    await page.click("#final-wasm-details summary");
    await page.waitForFunction(() => /\(loop/.test(document.getElementById("final-wasm")!.textContent!));
    // Linked to the source: its line is marked in the editor, and the context is said in words.
    expect(await page.isVisible("#line-band")).toBe(true);
    expect(await text("#context-words")).toContain(`pc ${pc}, DEC (line 12)`);
    expect(await text("#ir-after")).toMatch(
      new RegExp(`^; context \\[\\d+\\] · pcs [\\d, ]*\\b${pc}\\b[\\d, ]* merged here`),
    );
    // Clicking a source line selects its instruction: line 9 is ADD.
    await page.evaluate(() => {
      const t = document.getElementById("source") as HTMLTextAreaElement;
      const at = t.value.split("\n").slice(0, 8).join("\n").length + 3;
      t.setSelectionRange(at, at);
      t.dispatchEvent(new MouseEvent("click"));
    });
    await page.waitForFunction(() => document.querySelector("#listing tr.selected")?.textContent?.includes("ADD"));
    // Keyboard: the arrow keys move along the listing.
    await page.locator("#listing tr.selected").focus();
    await page.keyboard.press("ArrowDown");
    expect(await page.locator("#listing tr.selected").textContent()).toContain("STORE_LOCAL 0");
    await row.click();
    // Before cleanup, the highlighted blocks are exactly those holding a copy made in the instruction's context.
    await cleaned(false);
    const rawLit = page.locator("#specialized-graph g.node.highlight");
    expect(await rawLit.count()).toBeGreaterThanOrEqual(1);
    for (const label of await rawLit.allTextContents())
      expect(label).toMatch(new RegExp(`\\[${pc}\\]|pcs [\\d,]*\\b${pc}\\b`));
    // The other way round: a generic block lights up its copies, one per context it was specialized in.
    await page.locator("#generic-graph g.node.highlight").first().click();
    expect(await text("#detail-title")).toMatch(/^generic block\d+( \(.+\))?: \d+ cop(y|ies) in \d+ contexts?/);
    expect(await page.locator("#specialized-graph g.node.highlight").count()).toBeGreaterThanOrEqual(1);
    await cleaned(true);
    await row.click();
    await page.screenshot({ path: join(SHOTS, "sum-dec-selected.png"), fullPage: true });
    // Zoom: "fit" fits both dimensions; + zooms in.
    await page.click('button[data-pane="generic"][data-zoom="fit"]');
    const fits = await page.evaluate(() => {
      const pane = document.getElementById("generic-graph")!;
      const svg = pane.querySelector("svg")!;
      return (
        svg.getBoundingClientRect().width <= pane.clientWidth && svg.getBoundingClientRect().height <= pane.clientHeight
      );
    });
    expect(fits).toBe(true);
    const fitted = Number(await page.getAttribute("#generic-graph", "data-zoom"));
    await page.click('button[data-pane="generic"][data-zoom="in"]');
    expect(Number(await page.getAttribute("#generic-graph", "data-zoom"))).toBeCloseTo(fitted * 1.25, 2);
  });

  // Right after sum-to-100M, so the tour does not have to run it again.
  it("walks through the guided tour, each step selecting what it describes", async () => {
    await page.click("#tour-start");
    await page.waitForFunction(
      () => document.getElementById("tour")!.dataset.step === "1" && !document.getElementById("tour")!.hidden,
    );
    expect(await page.inputValue("#example")).toBe("sum.asm");
    expect(await text("#detail-title")).toMatch(/^generic block\d+ \(.*dispatch/);
    const expectations = [/^pc 0: LOAD_IMMEDIATE 0/, /^pc \d+: DEC/, /^pc \d+: DEC/, /^pc \d+: JMPNZ/];
    for (const [i, title] of expectations.entries()) {
      await page.click("#tour-next");
      await page.waitForFunction((n) => document.getElementById("tour")!.dataset.step === String(n), i + 2);
      expect(await text("#detail-title")).toMatch(title);
    }
    expect(await page.isChecked("#cleaned")).toBe(true);
    await page.click("#tour-next"); // Close
    expect(await page.isHidden("#tour")).toBe(true);
  });

  it("runs a Fern program: one request per function, same output interpreted and wevaled", async () => {
    const t = Date.now();
    expect(await run({ example: "programs/functions.fern" })).toBe("done");
    console.log(
      `explorer: programs/functions.fern graphs ${await page.getAttribute("body", "data-graphs-ms")} ms after Compile (run done ${Date.now() - t} ms); longest main-thread task ${await longestTask()} ms`,
    );
    expect(await text("#out-interpreted")).toBe("120\n55\nnil\n30\n1\n");
    expect(await text("#out-wevaled")).toBe(await text("#out-interpreted"));
    expect(await page.locator("#request option").count()).toBe(7);
    expect(await page.locator("#generic-graph svg g.node").count()).toBeGreaterThan(50);
    expect(await page.locator("#specialized-graph svg g.node").count()).toBeGreaterThan(5);
    // A CALL in main: its function's blocks light up.
    await page.locator('#listing tr[data-func="0"]', { hasText: "CALL" }).first().click();
    expect(await page.locator("#specialized-graph g.node.highlight").count()).toBeGreaterThanOrEqual(1);
    await page.screenshot({ path: join(SHOTS, "fern-functions.png"), fullPage: true });
    // Every instruction of every function prints its IR and Wasm before and after, calls included (the
    // specialized code calls functions only the specialized module has).
    const every = await clickEveryInstruction();
    expect(every.clicked).toBe(85);
    expect(every.errors).toEqual([]);
    // The same program on fern-memory, the control with locals and stack left in memory: the same output.
    await page.selectOption("#interpreter", "fern-memory");
    await page.evaluate(() => (document.body.dataset.state = "running"));
    await page.click("#run");
    await page.waitForFunction(
      () => document.body.dataset.state === "done" || document.body.dataset.state === "error",
      null,
      { timeout: 60_000 },
    );
    expect(await text("#out-wevaled")).toBe("120\n55\nnil\n30\n1\n");
    expect(await text("#out-interpreted")).toBe(await text("#out-wevaled"));
    await page.selectOption("#interpreter", "fern");
  });

  it("a Fern runtime error is reported the same way by both modules, naming the function and line", async () => {
    expect(await run({ example: "programs/divzero.fern" })).toBe("done");
    expect(await text("#out-interpreted")).toMatch(/\[error\] .*division by zero/);
    expect(await text("#out-wevaled")).toBe(await text("#out-interpreted"));
    expect(await text("#verdict")).toMatch(/^✓ same output/);
  });

  it("shows a compile error as the CLI does, beside its line, and keeps working", async () => {
    const bad = "fn main() {\n  print(1 +);\n}\n";
    let expected = "";
    try {
      compileFern(bad, "program.fern");
    } catch (e) {
      expected = (e as Error).message;
    }
    expect(expected).toMatch(/^program\.fern:2:\d+: error: /);
    expect(await run({ source: bad, language: "fern" })).toBe("error");
    expect(await text("#error")).toBe(expected);
    expect(await page.isVisible("#error-band")).toBe(true);
    expect(await page.textContent("#gutter .error-line")).toBe("2\n");
    // An error far down the program: scrolled into view, its band inside the editor.
    const far = "let x = 1;\n".repeat(80) + "print(x +);\n";
    expect(await run({ source: far, language: "fern" })).toBe("error");
    const inside = await page.evaluate(() => {
      const e = document.querySelector(".editor")!.getBoundingClientRect();
      const b = document.getElementById("error-band")!.getBoundingClientRect();
      return !document.getElementById("error-band")!.hidden && b.top >= e.top && b.bottom <= e.bottom;
    });
    expect(inside).toBe(true);
    // Max contexts of 0 is a mistake, said in one line.
    expect(await run({ source: bad, language: "fern", maxContexts: "0" })).toBe("error");
    expect(await text("#error")).toBe(
      "Max contexts must be a whole number of at least 1 (or empty for the default), got '0'",
    );
    await page.screenshot({ path: join(SHOTS, "error.png"), fullPage: true });
    // Fixed, it runs.
    expect(await run({ source: "print(1 + 2); // expect: 3\n", language: "fern" })).toBe("done");
    expect(await text("#out-wevaled")).toBe("3\n");
    expect(await page.isVisible("#error")).toBe(false);
    // The address now holds the program, the options and the selection: loading it runs it and selects again.
    await page.selectOption("#runs", "3");
    await page.fill("#max-contexts", "500");
    expect(await run({ source: "print(1 + 2); // expect: 3\n", language: "fern", maxContexts: "500" })).toBe("done");
    await page.locator("#listing tr").nth(1).click();
    const pc = await page.locator("#listing tr").nth(1).getAttribute("data-pc");
    expect(page.url()).toContain("#language=fern&interpreter=fern&source=");
    expect(page.url()).toContain(`max=500&runs=3&select=0%3A${pc}`);
    const link = page.url();
    await page.goto("about:blank");
    await page.goto(link);
    await loaded();
    expect(await page.inputValue("#source")).toBe("print(1 + 2); // expect: 3\n");
    expect(await page.inputValue("#language")).toBe("fern");
    expect(await page.inputValue("#max-contexts")).toBe("500");
    expect(await page.inputValue("#runs")).toBe("3");
    expect(await page.getAttribute("body", "data-state")).toBe("done");
    expect(await page.getAttribute("#listing tr.selected", "data-pc")).toBe(pc);
    await page.selectOption("#runs", "1");
  });

  it("draws a large specialized graph one node per context, and says so", async () => {
    // 110 loops: each loop header a block of its own (331 blocks before cleanup), in 221 contexts that head a block.
    const source =
      Array.from({ length: 110 }, (_, i) => `        LOAD_IMMEDIATE 2\nl${i}:    DEC\n        JMPNZ l${i}\n`).join("") +
      "        HALT\n";
    expect(await run({ source, language: "toy" })).toBe("done");
    expect(await text("#out-wevaled")).toBe(await text("#out-interpreted"));
    await cleaned(false);
    expect(await text("#graph-note")).toMatch(/^\d+ blocks is more than 300: drawn one node per context \(pc\)/);
    const nodes = await page.locator("#specialized-graph svg g.node").count();
    expect(nodes).toBeGreaterThan(200); // 221 contexts head a block
    expect(nodes).toBeLessThanOrEqual(300);
    await page.locator("#listing tr").nth(100).click(); // a loop's DEC, which heads its loop's block
    expect(await page.locator("#specialized-graph g.node.highlight").count()).toBe(1);
    await cleaned(true);
  });

  it("a program that never ends runs in a worker: the page stays responsive and Stop ends it", async () => {
    await page.fill("#source", "let i = 0;\nwhile (true) { i = i + 1; }\n");
    await page.selectOption("#language", "fern");
    await page.fill("#max-contexts", "");
    await page.evaluate(() => (document.body.dataset.state = "running"));
    await page.click("#run");
    await page.waitForFunction(() =>
      document.getElementById("status")!.textContent!.startsWith("running the interpreter"),
    );
    await page.waitForTimeout(300);
    await page.click("#stop"); // the page answers while the program loops
    await page.waitForFunction(() => document.body.dataset.state === "done");
    expect(await text("#time-interpreted")).toMatch(/^stopped after \d+\.\d s$/);
    expect(await text("#verdict")).toMatch(/^■ stopped after/);
    expect(await page.isDisabled("#stop")).toBe(true);
    // Stop works while the worker specializes too (nbody: seconds of work), and the next run starts afresh.
    await page.selectOption("#example", "bench/nbody.fern");
    await page.click("#run");
    await page.waitForFunction(() => document.getElementById("status")!.textContent!.startsWith("specializing"));
    const t = Date.now();
    await page.click("#stop");
    await page.waitForFunction(() => document.body.dataset.state === "stopped");
    expect(Date.now() - t).toBeLessThan(2000);
    expect(await text("#status")).toMatch(/^stopped \(stopped after \d+\.\d s\)$/);
  });

  it("clicks every instruction of bench/fib.fern without an error, its source line, bytecode and blocks lit together", async () => {
    expect(await run({ example: "bench/fib.fern" })).toBe("done");
    const every = await clickEveryInstruction();
    expect(every.clicked).toBe(18);
    expect(every.errors).toEqual([]);
    // The recursive call in fib: line 5, its CALL, the blocks made for it.
    await page.locator('#listing tr[data-func="1"]', { hasText: "CALL" }).first().click();
    await page.waitForFunction(() => !document.getElementById("wasm-after")!.textContent!.startsWith("…"));
    expect(await page.isVisible("#line-band")).toBe(true);
    expect(await text("#detail-title")).toMatch(/^pc \d+: CALL .* in fn fib \(line 5\)/);
    expect(await text("#wasm-after")).toMatch(/\(call \$weval\.specialized\.\d+/);
    await page.screenshot({ path: join(SHOTS, "fern-fib-call.png"), clip: { x: 0, y: 0, width: 1600, height: 1300 } });
  });

  /** The lowest WCAG contrast ratio between the text of these elements and the background they sit on. */
  function lowestContrast(selectors: string[]): Promise<{ ratio: number; where: string }> {
    return page.evaluate((sels) => {
      const rgb = (c: string) => (c.match(/[\d.]+/g) ?? []).map(Number);
      const lum = (c: number[]) => {
        const [r, g, b] = c.slice(0, 3).map((v) => {
          const s = v / 255;
          return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
        });
        return 0.2126 * r + 0.7152 * g + 0.0722 * b;
      };
      const background = (e: Element | null): number[] => {
        for (; e; e = e.parentElement) {
          const c = rgb(getComputedStyle(e).backgroundColor);
          if (c.length === 3 || (c.length === 4 && c[3] > 0)) return c;
        }
        return rgb(getComputedStyle(document.documentElement).backgroundColor);
      };
      let worst = { ratio: Infinity, where: "" };
      for (const sel of sels)
        for (const e of document.querySelectorAll(sel)) {
          const [a, b] = [lum(rgb(getComputedStyle(e).color)), lum(background(e))];
          const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
          if (ratio < worst.ratio) worst = { ratio, where: `${sel}: ${getComputedStyle(e).color} on ${background(e)}` };
        }
      return worst;
    }, selectors);
  }

  const TEXTS = [
    "small",
    "#gutter span",
    ".listing td",
    "#stats th",
    ".time",
    "#verdict",
    "#status",
    ".tagline",
    "label",
    "#context-words",
    ".run-card pre",
  ];

  it("fits a 390 px phone and a 1280×720 laptop, and has a dark theme, both with AA contrast", async () => {
    const light = await lowestContrast(TEXTS);
    expect(light.ratio, light.where).toBeGreaterThanOrEqual(4.5);
    await page.setViewportSize({ width: 390, height: 844 });
    const widths = await page.evaluate(() =>
      ["source-pane", "listing-pane", "specialized-pane"].map(
        (id) => document.getElementById(id)!.getBoundingClientRect().width,
      ),
    );
    for (const w of widths) expect(w).toBeGreaterThan(300);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: join(SHOTS, "phone.png") });
    await page.setViewportSize({ width: 1280, height: 720 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1280);
    await page.emulateMedia({ colorScheme: "dark" });
    expect(await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor)).toBe(
      "rgb(21, 24, 28)",
    );
    const dark = await lowestContrast(TEXTS);
    expect(dark.ratio, dark.where).toBeGreaterThanOrEqual(4.5);
    await page.screenshot({ path: join(SHOTS, "dark.png") });
    await page.emulateMedia({ colorScheme: "light" });
    await page.setViewportSize({ width: 1600, height: 1300 });
  });

  it("runs Brainfuck too, with the input and expected output kept beside the example", async () => {
    expect(await run({ example: "brainfuck/reverse-input.b" })).toBe("done");
    expect(await page.inputValue("#language")).toBe("bf");
    expect(await text("#out-wevaled")).toBe(
      readFileSync(join(ROOT, "brainfuck", "programs", "reverse-input.out"), "utf8"),
    );
    expect(await text("#verdict")).toMatch(/^✓ same output .* Matches the program's expected output\./);
    const every = await clickEveryInstruction();
    expect(every.errors).toEqual([]);
  });

  it("an aborted specialization shows its reason and still runs, interpreted", async () => {
    expect(await run({ example: "fib.asm", maxContexts: "4" })).toBe("done");
    expect(await text("#abort")).toMatch(
      /aborted: more than 4 contexts \(limit maxContexts\) — the interpreter runs it instead/,
    );
    expect(await text("#out-wevaled")).toBe(await text("#out-interpreted"));
    expect(await text("#out-wevaled")).not.toBe("");
    expect(await text("#graph-note")).toContain("Not specialized");
    expect(await text("#verdict")).toContain("nothing was specialized (every request aborted)");
    expect(await text("#verdict")).not.toMatch(/faster|slower/);
    expect(pageErrors).toEqual([]);
  });
});
