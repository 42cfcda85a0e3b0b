// A graph pane: Graphviz's SVG text shown (parsed once per drawing and kept for the last few, so switching back
// costs nothing, and not touched at all when the same drawing is asked for again), its nodes keyboard stops that
// Enter or Space picks like a click (one listener on the pane). Zoom and pan: the SVG is drawn at `scale` times its
// natural size inside a scrolling pane; Ctrl+wheel (or pinch) and the +/− buttons zoom about a point, dragging
// pans, "fit" fits both dimensions, and the keys + − 0 (fit) 1 (natural size) and the arrows work when the pane
// has the focus.
const KEPT = 10;
/** A drawing that would open smaller than this to fit opens at natural size instead. */
const MIN_OPEN_SCALE = 0.6;

export class ZoomPane {
  private scale = 1;
  private natural = { w: 0, h: 0 };
  private dot?: string;
  private parsed = new Map<string, SVGSVGElement>();
  /** Called with a node the learner clicked or pressed Enter on. */
  onPick?: (node: SVGGElement) => void;

  constructor(readonly pane: HTMLElement) {
    pane.tabIndex = 0;
    pane.addEventListener("click", (e) => {
      const node = (e.target as Element).closest<SVGGElement>("g.node");
      if (node) this.onPick?.(node);
    });
    pane.addEventListener("keydown", (e) => {
      const node = (e.target as Element).closest?.<SVGGElement>("g.node");
      if (!node || (e.key !== "Enter" && e.key !== " ")) return;
      e.preventDefault();
      this.onPick?.(node);
    });
    pane.addEventListener(
      "wheel",
      (e) => {
        if (!e.ctrlKey && !e.metaKey) return;
        e.preventDefault();
        this.zoomAt(this.scale * Math.exp(-e.deltaY * 0.002), e.clientX, e.clientY);
      },
      { passive: false },
    );
    let drag: { x: number; y: number; left: number; top: number } | undefined;
    pane.addEventListener("pointerdown", (e) => {
      if (e.button !== 0 || (e.target as Element).closest("g.node")) return;
      drag = { x: e.clientX, y: e.clientY, left: pane.scrollLeft, top: pane.scrollTop };
      pane.setPointerCapture(e.pointerId);
    });
    pane.addEventListener("pointermove", (e) => {
      if (!drag) return;
      pane.scrollLeft = drag.left - (e.clientX - drag.x);
      pane.scrollTop = drag.top - (e.clientY - drag.y);
    });
    pane.addEventListener("pointerup", () => (drag = undefined));
    pane.addEventListener("keydown", (e) => {
      if (e.target !== pane) return;
      const r = pane.getBoundingClientRect();
      const cx = r.left + r.width / 2;
      const cy = r.top + r.height / 2;
      if (e.key === "+" || e.key === "=") this.zoomAt(this.scale * 1.25, cx, cy);
      else if (e.key === "-") this.zoomAt(this.scale / 1.25, cx, cy);
      else if (e.key === "0") this.fit();
      else if (e.key === "1") this.zoomAt(1, cx, cy);
      else return;
      e.preventDefault();
    });
  }

  get svg(): SVGSVGElement | null {
    return this.pane.querySelector("svg");
  }

  get zoom(): number {
    return this.scale;
  }

  /** Show the drawing of `dot` (its SVG text from Graphviz). False when it is on show already (nothing done);
   *  else it opens fitted when that keeps its labels readable (down to MIN_OPEN_SCALE), at natural size if not
   *  (the caller centres it on the block that matters: the entry, or the selection). */
  show(dot: string, svgText: () => string): boolean {
    if (dot === this.dot && this.svg) return false;
    let svg = this.parsed.get(dot);
    if (!svg) {
      svg = parseSvg(svgText());
      this.parsed.set(dot, svg);
      if (this.parsed.size > KEPT) this.parsed.delete(this.parsed.keys().next().value!);
    }
    this.dot = dot;
    const vb = svg.viewBox.baseVal;
    this.natural = { w: vb?.width || svg.width.baseVal.value, h: vb?.height || svg.height.baseVal.value };
    this.pane.replaceChildren(svg);
    const fit = this.fitScale();
    this.apply(fit >= MIN_OPEN_SCALE ? Math.min(1, fit) : 1);
    return true;
  }

  clear(): void {
    this.dot = undefined;
    this.pane.replaceChildren();
  }

  /** The scale at which the whole drawing fits the pane, in both dimensions. */
  private fitScale(): number {
    const w = this.pane.clientWidth - 4;
    const h = this.pane.clientHeight - 4;
    if (!this.natural.w || !this.natural.h || w <= 0 || h <= 0) return 1;
    return Math.min(w / this.natural.w, h / this.natural.h);
  }

  fit(): void {
    this.apply(this.fitScale());
  }

  zoomBy(factor: number): void {
    const r = this.pane.getBoundingClientRect();
    this.zoomAt(this.scale * factor, r.left + r.width / 2, r.top + r.height / 2);
  }

  /** Zoom keeping the drawing's point under (x, y) where it is. */
  zoomAt(scale: number, x: number, y: number): void {
    const r = this.pane.getBoundingClientRect();
    const px = (this.pane.scrollLeft + x - r.left) / this.scale;
    const py = (this.pane.scrollTop + y - r.top) / this.scale;
    this.apply(scale);
    this.pane.scrollLeft = px * this.scale - (x - r.left);
    this.pane.scrollTop = py * this.scale - (y - r.top);
  }

  private apply(scale: number): void {
    this.scale = Math.max(0.02, Math.min(4, scale));
    const svg = this.svg;
    if (!svg) return;
    svg.setAttribute("width", String(this.natural.w * this.scale));
    svg.setAttribute("height", String(this.natural.h * this.scale));
    this.pane.dataset.zoom = this.scale.toFixed(3);
  }

  /** Scroll the pane (not the page) so that `node` is in the middle. */
  centre(node: Element | null): void {
    if (!node) return;
    const p = this.pane.getBoundingClientRect();
    const n = node.getBoundingClientRect();
    this.pane.scrollLeft += n.left - p.left - p.width / 2 + n.width / 2;
    this.pane.scrollTop += n.top - p.top - p.height / 2 + n.height / 2;
  }
}

/** Graphviz's SVG text as an element of the page, every node a keyboard stop named by its tooltip or id. */
function parseSvg(text: string): SVGSVGElement {
  const doc = new DOMParser().parseFromString(text, "image/svg+xml");
  const svg = document.adoptNode(doc.documentElement) as unknown as SVGSVGElement; // moved, not copied
  for (const node of svg.querySelectorAll<SVGGElement>("g.node")) {
    node.setAttribute("tabindex", "0");
    node.setAttribute("role", "button");
    node.setAttribute("aria-label", node.querySelector("text")?.textContent ?? node.id);
  }
  return svg;
}
