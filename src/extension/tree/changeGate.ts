// Holds a tree's change events while VS Code is reading the tree (no `vscode` import).
//
// VS Code's tree (the extension host side, 1.100 at least) starts reading a node's children by
// forgetting the ones it had, then awaits getChildren and getTreeItem, and registers what they answer
// under the node object it looked up before awaiting. A change event for that node, or an ancestor,
// that VS Code handles in that window replaces the node object; the answer then lands on the old one,
// and the next read of the node finds its children's ids still registered: "Element with id … is
// already registered", and the node shows no children (microsoft/vscode#192055). So a change asked for
// while any read is in flight, or within `quietMs` of the last one ending, is held, and sent once
// the tree has been quiet that long: VS Code's getTreeItem calls follow its getChildren within
// microtasks, and its read of an expanded child's children follows a round trip to the window. A
// change that waits longer than `maxHoldMs` is sent anyway: an update is never lost to a read that
// does not end. A change asked for while the tree is quiet goes out at once.

/** The longest a change waits for the tree's reads to end, in ms. */
export const MAX_HOLD_MS = 1000;

/** How long the tree must have had no read in flight before a held change goes out, in ms. */
export const QUIET_MS = 25;

export class ChangeGate<T> {
  private reads = 0;
  /** Held changes: nodes in order, or ROOT (the whole tree, which covers every node). */
  private held: Set<T> | typeof ROOT | undefined;
  private heldSince = 0;
  private lastSettled = -Infinity;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private disposed = false;
  private waiting: (() => void)[] = [];

  constructor(
    private readonly emit: (node: T | undefined) => void,
    private readonly maxHoldMs = MAX_HOLD_MS,
    private readonly quietMs = QUIET_MS,
    private readonly now: () => number = Date.now,
  ) {}

  /** Reads in flight (getChildren and getTreeItem answers not yet settled). */
  get inFlight(): number {
    return this.reads;
  }

  /** True while a change waits for the tree to be quiet. */
  get holding(): boolean {
    return this.held !== undefined;
  }

  /** Resolves once no change is held (at once when none is): every change asked for so far has gone out. */
  sent(): Promise<void> {
    if (!this.held) return Promise.resolve();
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  /** Counts `answer` as a read in flight until it settles; returns it unchanged. */
  read<R>(answer: Promise<R>): Promise<R> {
    this.reads++;
    const settle = (): void => {
      if (--this.reads) return;
      this.lastSettled = this.now();
      if (this.held) this.schedule();
    };
    answer.then(settle, settle);
    return answer;
  }

  /** Sends a change of `node` (undefined: the whole tree) now when the tree is quiet, else once it is. */
  fire(node: T | undefined): void {
    if (this.disposed) return;
    if (!this.held && this.quiet()) return this.emit(node);
    if (!this.held) {
      this.held = new Set();
      this.heldSince = this.now();
    }
    if (node === undefined) this.held = ROOT;
    else if (this.held !== ROOT) this.held.add(node);
    this.schedule();
  }

  dispose(): void {
    this.disposed = true;
    clearTimeout(this.timer);
    this.held = undefined;
    this.release();
  }

  private release(): void {
    const waiting = this.waiting;
    this.waiting = [];
    for (const resolve of waiting) resolve();
  }

  /** No read in flight, and none ended within quietMs. */
  private quiet(): boolean {
    return !this.reads && this.now() - this.lastSettled >= this.quietMs;
  }

  private schedule(): void {
    clearTimeout(this.timer);
    const now = this.now();
    const cap = this.maxHoldMs - (now - this.heldSince);
    const delay = this.reads ? cap : Math.min(cap, this.quietMs - (now - this.lastSettled));
    this.timer = setTimeout(() => this.flush(), Math.max(0, delay));
  }

  private flush(): void {
    this.timer = undefined;
    const held = this.held;
    if (!held) return; // dispose() clears the timer and what was held
    if (!this.quiet() && this.now() - this.heldSince < this.maxHoldMs) return this.schedule();
    this.held = undefined;
    try {
      if (held === ROOT) this.emit(undefined);
      else for (const node of held) this.emit(node);
    } finally {
      this.release();
    }
  }
}

const ROOT = Symbol('root');
