// Graphviz (@viz-js/viz, Graphviz compiled to Wasm) off the page's thread: DOT in, SVG text out. The page
// (workers.ts) caches the answers and may terminate this worker at any moment (Stop).
import { instance } from "@viz-js/viz";
import { InternalError } from "../../util/errors.ts";

export interface LayoutJob {
  id: number;
  dot: string;
}
export type LayoutReply = { id: number; svg: string } | { id: number; error: string };

const viz = instance();

self.onmessage = async (e: MessageEvent<LayoutJob>) => {
  const { id, dot } = e.data;
  try {
    const result = (await viz).render(dot, { format: "svg" });
    if (result.status !== "success")
      throw new InternalError(result.errors.map((x) => x.message).join("; ") || "Graphviz failed");
    self.postMessage({ id, svg: result.output } satisfies LayoutReply);
  } catch (err) {
    self.postMessage({ id, error: (err as Error).message } satisfies LayoutReply);
  }
};
