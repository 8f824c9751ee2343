// Runs `tick` every `intervalMs` only while something is visible (no `vscode` import): the Projects
// view re-renders its relative times ("5 min ago") once a minute while it is on screen, never when hidden.
export class VisibleTicker {
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor(
    private readonly tick: () => void,
    private readonly intervalMs = 60_000,
  ) {}

  get running(): boolean {
    return this.timer !== undefined;
  }

  /** Starts (ticking once at once, to catch up) when `visible`, stops when not. */
  setVisible(visible: boolean): void {
    if (visible && !this.timer) {
      this.tick();
      this.timer = setInterval(this.tick, this.intervalMs);
    } else if (!visible && this.timer) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }

  dispose(): void {
    this.setVisible(false);
  }
}
