// The explorer page in a real browser: Debian's chromium (/usr/bin/chromium, or $CHROMIUM) driven by
// playwright-core, against the page built by Vite and served by Vite's preview server. One build, one browser and
// one page for the whole file, to keep it quick. Screenshots go to build/explorer-screenshots/ for inspection.
import { mkdirSync, existsSync } from "node:fs";
import { join } from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { build, preview, type PreviewServer } from "vite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
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
  if (!existsSync(CHROMIUM)) throw new Error(`no chromium at ${CHROMIUM}: apt-get install -y chromium (or set CHROMIUM)`);
  mkdirSync(SHOTS, { recursive: true });
  await build({ configFile, build: { outDir: OUT }, logLevel: "error" });
  server = await preview({ configFile, build: { outDir: OUT }, preview: { port: 0, host: "127.0.0.1" }, logLevel: "error" });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  page = await browser.newPage({ viewport: { width: 1600, height: 1300 } });
  page.on("pageerror", (e) => pageErrors.push(e.message));
  await page.goto(server.resolvedUrls!.local[0]);
  await page.waitForFunction(() => document.body.dataset.state === "ready");
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** Load an example (or type a program), run the pipeline, wait until the page says done or error. */
async function run(opts: { example?: string; source?: string; language?: "toy" | "fern"; maxContexts?: string }): Promise<string> {
  if (opts.example) await page.selectOption("#example", opts.example);
  if (opts.source !== undefined) await page.fill("#source", opts.source);
  if (opts.language) await page.selectOption("#language", opts.language);
  await page.fill("#max-contexts", opts.maxContexts ?? "");
  await page.evaluate(() => (document.body.dataset.state = "running"));
  await page.click("#run");
  await page.waitForFunction(() => document.body.dataset.state === "done" || document.body.dataset.state === "error", null, { timeout: 60_000 });
  return (await page.getAttribute("body", "data-state"))!;
}

const text = async (sel: string) => (await page.textContent(sel)) ?? "";

describe("the explorer page", () => {
  it("runs sum-to-100M interpreted and wevaled with the same, right output, and draws both graphs", async () => {
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
    // Before cleanup: one block per (context, generic block), many more, every one in a context's colour.
    await page.uncheck("#cleaned");
    const raw = await page.locator("#specialized-graph svg g.node").count();
    expect(raw).toBeGreaterThan(specialized * 5);
    await page.check("#cleaned");
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
    expect(await text("#ir-before")).toMatch(/i64\.sub/); // the interpreter's acc -= 1
    expect(await text("#ir-after")).toMatch(/; context \[\d+\]/);
    expect(await text("#wasm-before")).toMatch(/^\(func \$fragment/);
    expect(await text("#wasm-after")).toMatch(/i64\.sub/);
    expect(await text("#final-wasm")).toMatch(/\(loop/);
    // Before cleanup, the highlighted blocks are exactly those made in the instruction's context.
    await page.uncheck("#cleaned");
    const rawLit = page.locator("#specialized-graph g.node.highlight");
    expect(await rawLit.count()).toBeGreaterThanOrEqual(1);
    for (const label of await rawLit.allTextContents()) expect(label).toContain(`[${pc}]`);
    // The other way round: a generic block lights up its copies, one per context it was specialized in.
    await page.locator("#generic-graph g.node.highlight").first().click();
    expect(await text("#detail-title")).toMatch(/^generic block\d+: \d+ cop(y|ies) in \d+ contexts?/);
    expect(await page.locator("#specialized-graph g.node.highlight").count()).toBeGreaterThanOrEqual(1);
    await page.check("#cleaned");
    await row.click();
    await page.screenshot({ path: join(SHOTS, "sum-dec-selected.png"), fullPage: true });
  });

  it("runs a Fern program: one request per function, same output interpreted and wevaled", async () => {
    expect(await run({ example: "programs/functions.fern" })).toBe("done");
    expect(await text("#out-interpreted")).toBe("120\n55\nnil\n30\n1\n");
    expect(await text("#out-wevaled")).toBe(await text("#out-interpreted"));
    expect(await page.locator("#request option").count()).toBe(7);
    expect(await page.locator("#generic-graph svg g.node").count()).toBeGreaterThan(50);
    expect(await page.locator("#specialized-graph svg g.node").count()).toBeGreaterThan(5);
    // A CALL in main: its function's blocks light up.
    await page.locator('#listing tr[data-func="0"]', { hasText: "CALL" }).first().click();
    expect(await page.locator("#specialized-graph g.node.highlight").count()).toBeGreaterThanOrEqual(1);
    await page.screenshot({ path: join(SHOTS, "fern-functions.png"), fullPage: true });
    // The same program on fern-memory, the control with locals and stack left in memory: the same output.
    await page.selectOption("#interpreter", "fern-memory");
    await page.evaluate(() => (document.body.dataset.state = "running"));
    await page.click("#run");
    await page.waitForFunction(() => document.body.dataset.state === "done" || document.body.dataset.state === "error", null, { timeout: 60_000 });
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
    expect(await page.isVisible("#error-marker")).toBe(true);
    expect(await text("#error-marker")).toContain(expected.replace(/^program\.fern:\d+:\d+: error: /, ""));
    await page.screenshot({ path: join(SHOTS, "error.png"), fullPage: true });
    // Fixed, it runs.
    expect(await run({ source: "print(1 + 2); // expect: 3\n", language: "fern" })).toBe("done");
    expect(await text("#out-wevaled")).toBe("3\n");
    expect(await page.isVisible("#error")).toBe(false);
    // The address now holds the program: loading it brings the program back.
    expect(page.url()).toContain("#language=fern&interpreter=fern&source=");
    await page.goto(page.url());
    await page.reload();
    await page.waitForFunction(() => document.body.dataset.state === "ready");
    expect(await page.inputValue("#source")).toBe("print(1 + 2); // expect: 3\n");
    expect(await page.inputValue("#language")).toBe("fern");
  });

  it("draws a large specialized graph one node per context, and says so", async () => {
    const source = ".locals 1\n" + "        LOAD_IMMEDIATE 7\n        STORE_LOCAL 0\n".repeat(120) + "        HALT\n";
    expect(await run({ source, language: "toy" })).toBe("done");
    expect(await text("#out-wevaled")).toBe(await text("#out-interpreted"));
    await page.uncheck("#cleaned");
    expect(await text("#graph-note")).toMatch(/^\d+ blocks is more than 300: drawn one node per context \(pc\)/);
    const nodes = await page.locator("#specialized-graph svg g.node").count();
    expect(nodes).toBeGreaterThan(240); // 241 instructions, one context each
    expect(nodes).toBeLessThanOrEqual(300);
    await page.locator("#listing tr").nth(100).click();
    expect(await page.locator("#specialized-graph g.node.highlight").count()).toBe(1);
    await page.check("#cleaned");
  });

  it("a program that never ends runs in a worker: the page stays responsive and Stop ends it", async () => {
    await page.fill("#source", "let i = 0;\nwhile (true) { i = i + 1; }\n");
    await page.selectOption("#language", "fern");
    await page.fill("#max-contexts", "");
    await page.evaluate(() => (document.body.dataset.state = "running"));
    await page.click("#run");
    await page.waitForFunction(() => document.getElementById("status")!.textContent!.startsWith("running the interpreter"));
    await page.waitForTimeout(300);
    await page.click("#stop"); // the page answers while the program loops
    await page.waitForFunction(() => document.body.dataset.state === "done");
    expect(await text("#time-interpreted")).toMatch(/^stopped after \d+\.\d s$/);
    expect(await text("#verdict")).toMatch(/^■ stopped after/);
    expect(await page.isDisabled("#stop")).toBe(true);
  });

  it("an aborted specialization shows its reason and still runs, interpreted", async () => {
    expect(await run({ example: "fib.asm", maxContexts: "4" })).toBe("done");
    expect(await text("#abort")).toMatch(/aborted: more than 4 contexts \(limit maxContexts\) — the interpreter runs it instead/);
    expect(await text("#out-wevaled")).toBe(await text("#out-interpreted"));
    expect(await text("#out-wevaled")).not.toBe("");
    expect(await text("#graph-note")).toContain("Not specialized");
    expect(pageErrors).toEqual([]);
  });
});
