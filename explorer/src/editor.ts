// The program editor: a textarea with a line-number gutter and two bands drawn behind the text — the line of a
// compile error (scrolled into view, its number red in the gutter) and the source line of the selected
// instruction — and a callback with the line the learner clicks or moves the caret to.
export class Editor {
  private errorLine?: number;
  private selectedLine?: number;
  onLine?: (line: number) => void;

  constructor(
    readonly text: HTMLTextAreaElement,
    private readonly gutter: HTMLElement,
    private readonly errorBand: HTMLElement,
    private readonly lineBand: HTMLElement,
  ) {
    text.addEventListener("input", () => {
      this.errorLine = undefined;
      this.refresh();
    });
    text.addEventListener("scroll", () => this.place());
    const caretMoved = () => this.onLine?.(this.caretLine());
    text.addEventListener("click", caretMoved);
    text.addEventListener("keyup", (e) => {
      if (e.key.startsWith("Arrow") || e.key === "PageUp" || e.key === "PageDown") caretMoved();
    });
  }

  get value(): string {
    return this.text.value;
  }

  set value(v: string) {
    this.text.value = v;
    this.errorLine = undefined;
    this.selectedLine = undefined;
    this.refresh();
  }

  caretLine(): number {
    return this.text.value.slice(0, this.text.selectionStart).split("\n").length;
  }

  /** Redraw the gutter (one number per line) and the bands. */
  refresh(): void {
    const n = this.text.value.split("\n").length;
    const numbers = Array.from({ length: n }, (_, i) => {
      const s = document.createElement("span");
      s.textContent = String(i + 1) + "\n";
      if (i + 1 === this.errorLine) s.className = "error-line";
      return s;
    });
    this.gutter.replaceChildren(...numbers);
    this.place();
  }

  /** Mark a compile error's line and scroll it into the middle of the editor (undefined: clear). */
  showError(line: number | undefined): void {
    this.errorLine = line;
    this.refresh();
    if (line !== undefined) this.scrollTo(line);
  }

  /** Mark the selected instruction's source line, scrolled into view if it is not (undefined: clear). */
  showLine(line: number | undefined): void {
    this.selectedLine = line;
    this.place();
    if (line !== undefined && !this.visible(line)) this.scrollTo(line);
  }

  private get lineHeight(): number {
    return parseFloat(getComputedStyle(this.text).lineHeight) || 16;
  }

  private get padTop(): number {
    return parseFloat(getComputedStyle(this.text).paddingTop) || 0;
  }

  private visible(line: number): boolean {
    const top = (line - 1) * this.lineHeight;
    return top >= this.text.scrollTop && top + this.lineHeight <= this.text.scrollTop + this.text.clientHeight;
  }

  private scrollTo(line: number): void {
    this.text.scrollTop = Math.max(0, (line - 1) * this.lineHeight - this.text.clientHeight / 2);
    this.place();
  }

  /** Bands follow the text's scroll; a band whose line is scrolled out of the editor is hidden (never outside). */
  private place(): void {
    this.gutter.scrollTop = this.text.scrollTop;
    const put = (band: HTMLElement, line: number | undefined) => {
      const top = line === undefined ? -1 : this.padTop + (line - 1) * this.lineHeight - this.text.scrollTop;
      band.hidden = line === undefined || top < 0 || top + this.lineHeight > this.text.clientHeight + this.padTop;
      band.style.top = `${top}px`;
      band.style.height = `${this.lineHeight}px`;
    };
    put(this.errorBand, this.errorLine);
    put(this.lineBand, this.selectedLine);
  }
}
