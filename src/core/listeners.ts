// A set of change listeners: one throwing listener never stops the others (its error is logged).
import type { Logger } from './types';

export class Listeners<T> {
  private readonly set = new Set<(value: T) => void>();

  constructor(private readonly logger: Pick<Logger, 'warn'>) {}

  /** Adds a listener; the returned function removes it. */
  add(listener: (value: T) => void): () => void {
    this.set.add(listener);
    return () => this.set.delete(listener);
  }

  emit(value: T): void {
    for (const l of [...this.set]) {
      try {
        l(value);
      } catch (e) {
        this.logger.warn(`change listener failed: ${(e as Error).message}`);
      }
    }
  }

  clear(): void {
    this.set.clear();
  }
}
