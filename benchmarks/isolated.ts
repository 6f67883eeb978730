import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { ContenderName, LpSize, Outcome, Workload } from "./workload.js";

/**
 * Runs a timing task in a child process (`child.ts`). javascript-lp-solver's
 * simplex cannot be interrupted, so a contender that makes no progress within
 * `stallMs` is stopped by ending the child; it is reported as timed out and the
 * task is run again without it. Peak memory is read in the child, so each
 * figure is the peak of a process that did only that task.
 */
export type ChildTask =
  | {
      readonly kind: "timing";
      readonly workload: Workload;
      readonly contenders: readonly ContenderName[];
      readonly warmup: number;
      readonly rounds: number;
      /** A contender whose first call takes longer is timed that once, not in rounds. */
      readonly roundBudgetMs: number;
    }
  | { readonly kind: "peak-memory"; readonly workload: Workload; readonly contenders: readonly [ContenderName] };

export type ChildMessage =
  | { readonly type: "prepared"; readonly size: LpSize }
  | { readonly type: "starting"; readonly contender: string }
  | { readonly type: "outcome"; readonly contender: string; readonly outcome: Outcome }
  | { readonly type: "progress" }
  | {
      readonly type: "done";
      readonly samples: Record<string, number[]>;
      /** CPU time of the process (ms) during each timed call, round by round. */
      readonly cpuSamples: Record<string, number[]>;
      /** The first (cold) call of each contender, in a fresh process. */
      readonly first: Record<string, number>;
      readonly peakRssBytes: number;
    }
  | { readonly type: "failed"; readonly message: string };

export interface TaskResult {
  readonly size: LpSize | undefined;
  readonly samples: Partial<Record<ContenderName, number[]>>;
  /** CPU time of the process (ms) during each timed call: less moved than the wall clock by other work on the machine. */
  readonly cpuSamples: Partial<Record<ContenderName, number[]>>;
  /** The first (cold) call of each contender, in a fresh process. */
  readonly first: Partial<Record<ContenderName, number>>;
  readonly outcomes: Partial<Record<ContenderName, Outcome>>;
  /** Contenders stopped after `stallMs` without an answer. */
  readonly timedOut: readonly ContenderName[];
  readonly peakRssBytes: number | undefined;
}

const childModule = fileURLToPath(new URL("./child.ts", import.meta.url));

/** One child run; resolves when it finishes or is stopped. */
function runChild(task: ChildTask, stallMs: number): Promise<{ result: TaskResult; stalledOn: ContenderName | undefined }> {
  return new Promise((resolve, reject) => {
    const child = fork(childModule, [], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
    let size: LpSize | undefined;
    let samples: Record<string, number[]> = {};
    let cpuSamples: Record<string, number[]> = {};
    let first: Record<string, number> = {};
    const outcomes: Record<string, Outcome> = {};
    let current: ContenderName | undefined;
    let peakRssBytes: number | undefined;
    let stalled = false;
    let failure: string | undefined;
    let watchdog: NodeJS.Timeout | undefined;
    const arm = () => {
      clearTimeout(watchdog);
      watchdog = setTimeout(() => {
        stalled = true;
        child.kill("SIGKILL");
      }, stallMs);
    };
    child.on("message", (message: ChildMessage) => {
      arm();
      if (message.type === "prepared") size = message.size;
      else if (message.type === "starting") current = message.contender as ContenderName;
      else if (message.type === "outcome") {
        outcomes[message.contender] = message.outcome;
        current = undefined;
      } else if (message.type === "done") {
        samples = message.samples;
        cpuSamples = message.cpuSamples;
        first = message.first;
        peakRssBytes = message.peakRssBytes;
      } else if (message.type === "failed") failure = message.message;
    });
    child.on("error", reject);
    child.on("exit", () => {
      clearTimeout(watchdog);
      if (failure !== undefined) reject(new Error(`benchmark child failed: ${failure}`));
      else if (stalled && current === undefined) reject(new Error(`benchmark child made no progress for ${stallMs} ms outside a solve`));
      else {
        resolve({
          result: { size, samples, cpuSamples, first, outcomes, timedOut: stalled && current !== undefined ? [current] : [], peakRssBytes },
          stalledOn: stalled ? current : undefined,
        });
      }
    });
    arm();
    child.send(task);
  });
}

/** Runs the task; a contender that stalls is dropped (reported in `timedOut`) and the rest run again. */
export async function runIsolated(task: ChildTask, stallMs: number): Promise<TaskResult> {
  const timedOut: ContenderName[] = [];
  let remaining = task;
  for (;;) {
    const { result, stalledOn } = await runChild(remaining, stallMs);
    if (stalledOn === undefined) return { ...result, timedOut: [...timedOut] };
    timedOut.push(stalledOn);
    const contenders = remaining.contenders.filter((name) => name !== stalledOn);
    if (contenders.length === 0 || remaining.kind === "peak-memory") {
      return { size: result.size, samples: {}, cpuSamples: {}, first: {}, outcomes: result.outcomes, timedOut: [...timedOut], peakRssBytes: undefined };
    }
    remaining = { ...remaining, contenders };
  }
}
