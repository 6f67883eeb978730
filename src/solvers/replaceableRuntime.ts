/**
 * A runtime (a WebAssembly solver instance) that is replaced, never reused,
 * after it fails. A WebAssembly abort leaves the instance's memory and stack in
 * an unknown state; solving on with it could return wrong answers, so the
 * failed instance is dropped and a fresh one is loaded in the background.
 * Loading is asynchronous while solving is not: until the replacement is
 * ready, `current()` throws a clear error instead of blocking.
 */
export class ReplaceableRuntime<T> {
  private instance: T | undefined;
  private loading: Promise<T> | undefined;
  private failure: unknown;

  constructor(
    private readonly name: string,
    private readonly load: () => Promise<T>,
    initial: T,
  ) {
    this.instance = initial;
  }

  /** Whether the instance in use has not failed (a failed one is being replaced). */
  get healthy(): boolean {
    return this.instance !== undefined;
  }

  /** The live instance; throws while a replacement is loading (and starts one if none is). */
  current(): T {
    if (this.instance !== undefined) return this.instance;
    void this.reload();
    throw new Error(`${this.name} is unavailable: it failed (${describe(this.failure)}) and is being reloaded; try again shortly`);
  }

  /** Drops the live instance after `error` and starts loading a fresh one. */
  discard(error: unknown): void {
    this.instance = undefined;
    this.failure = error;
    void this.reload();
  }

  /** Resolves with a live instance, waiting for a reload if one is running. */
  async ready(): Promise<T> {
    if (this.instance !== undefined) return this.instance;
    return this.reload();
  }

  /** The reload under way, or a new one. */
  private reload(): Promise<T> {
    if (this.loading !== undefined) return this.loading;
    const loading = this.load().then(
      (instance) => {
        this.instance = instance;
        this.loading = undefined;
        return instance;
      },
      (error: unknown) => {
        // Stay unavailable; the next `current()` or `ready()` tries again.
        this.failure = error;
        this.loading = undefined;
        throw error;
      },
    );
    // Nobody may be waiting on this reload: a failure is kept in `failure`, not left unhandled.
    loading.catch(() => undefined);
    this.loading = loading;
    return loading;
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
