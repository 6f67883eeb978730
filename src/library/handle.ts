import type { StorageSettings } from "./database.js";
import { LibraryStore } from "./store.js";

/**
 * The library of a process, opened on first use (or at start, by the
 * server): a service that never touches the library creates no data folder.
 * A failed opening is tried again on the next use.
 */
export class LibraryHandle {
  private opening: Promise<LibraryStore> | undefined;

  constructor(readonly settings: StorageSettings) {}

  store(): Promise<LibraryStore> {
    if (this.opening === undefined) {
      const opening = LibraryStore.open(this.settings);
      this.opening = opening;
      opening.catch(() => {
        if (this.opening === opening) this.opening = undefined;
      });
    }
    return this.opening;
  }

  /** Whether the library has been asked for (opened, or opening). */
  get opened(): boolean {
    return this.opening !== undefined;
  }

  async close(): Promise<void> {
    const opening = this.opening;
    this.opening = undefined;
    if (opening === undefined) return;
    const store = await opening.catch(() => undefined);
    await store?.close();
  }
}
