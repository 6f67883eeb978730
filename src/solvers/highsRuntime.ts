import highsModule, { type Highs, type InitOptions } from "highs";
import { ReplaceableRuntime } from "./replaceableRuntime.js";

// The package's types describe a CommonJS module while Node loads its ES build,
// whose default export is the loader itself: accept either shape.
type HighsLoader = (options?: InitOptions) => Promise<Highs>;
const loadHighs: HighsLoader = (highsModule as unknown as { default?: HighsLoader }).default ?? (highsModule as unknown as HighsLoader);

/**
 * The process's HiGHS runtime (one WebAssembly instance per process or
 * worker), loaded at import; `highsRuntime.ready()` waits for a reload after a
 * failure. Its constants and infinity are the same numbers in any replacement.
 */
export const highsRuntime = new ReplaceableRuntime<Highs>("HiGHS", () => loadHighs(), await loadHighs());
