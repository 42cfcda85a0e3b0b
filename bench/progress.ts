// A progress bar on stderr while benchmarks run (cli-progress): in place on a terminal, and at most one line per
// few seconds in CI logs. The count is of steps finished (the step named beside it is under way), with an ETA from
// the rate so far.
import cliProgress from "cli-progress";

export class Progress {
  private readonly bar: cliProgress.SingleBar;
  private count = 0;

  constructor(label: string, total: number) {
    this.bar = new cliProgress.SingleBar(
      {
        format: `bench ${label} [{bar}] {value}/{total} done, ETA {eta_formatted}; now: {step}`,
        stream: process.stderr,
        noTTYOutput: !process.stderr.isTTY,
        notTTYSchedule: 5000,
        hideCursor: true,
        clearOnComplete: true,
      },
      cliProgress.Presets.shades_classic,
    );
    this.bar.start(total, 0, { step: "" });
  }

  /** `what` starts now: the bar counts the steps before it as done. */
  step(what: string): void {
    this.bar.update(Math.min(this.count++, this.bar.getTotal()), { step: what });
  }

  done(): void {
    this.bar.update(this.bar.getTotal(), { step: "done" });
    this.bar.stop();
  }
}
