import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** The CLI suites' helpers: `node bin/jointplan.js …` as a user runs it (the built package: npm test builds first), and files to hand it. */

export const root = join(import.meta.dirname, "..", "..");
export const bin = join(root, "bin", "jointplan.js");

/** Runs the CLI from the repository's root: its exit code and what it printed. */
export function runCli(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [bin, ...args], { encoding: "utf8", cwd: root });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A scratch folder of a suite's own; `file(name, content)` writes there (a value as JSON) and returns the path. */
export function scratchFiles(prefix: string): (name: string, content: unknown) => string {
  const dir = mkdtempSync(join(tmpdir(), `jointplan-${prefix}-`));
  return (name, content) => {
    const path = join(dir, name);
    writeFileSync(path, typeof content === "string" ? content : JSON.stringify(content));
    return path;
  };
}
