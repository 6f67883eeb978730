import { defined } from "../src/util/invariant.js";
import { time } from "./harness.js";
import type { ChildMessage, ChildTask } from "./isolated.js";
import { prepare, type Outcome } from "./workload.js";

/**
 * Child-process side of `isolated.ts`: runs one task and reports progress over
 * IPC, so that the parent can stop a solver that cannot be interrupted
 * (javascript-lp-solver's simplex) and read this process's own peak memory.
 */
const send = (message: ChildMessage, then: () => void = () => undefined) => process.send?.(message, then);

function peakRssBytes(): number {
  return process.resourceUsage().maxRSS * 1024;
}

function runTask(task: ChildTask): void {
  const prepared = prepare(task.workload, task.contenders);
  const run = (name: string) => defined(prepared.run[name], `prepared contender ${name}`);
  send({ type: "prepared", size: prepared.size });

  if (task.kind === "peak-memory") {
    const [name] = task.contenders;
    const ms = time(() => send({ type: "outcome", contender: name, outcome: run(name)() }));
    send({ type: "done", samples: { [name]: [ms] }, cpuSamples: {}, first: { [name]: ms }, peakRssBytes: peakRssBytes() }, () => process.disconnect());
    return;
  }

  // Warm-up: each contender once; one slower than the round budget is timed that once only.
  const samples: Record<string, number[]> = {};
  const first: Record<string, number> = {};
  const inRounds: string[] = [];
  for (const name of task.contenders) {
    send({ type: "starting", contender: name });
    const runOnce = run(name);
    let outcome: Outcome | undefined;
    const ms = time(() => (outcome = runOnce()));
    send({ type: "outcome", contender: name, outcome: defined(outcome, `outcome of ${name}`) });
    samples[name] = [ms];
    first[name] = ms;
    if (ms <= task.roundBudgetMs) inRounds.push(name);
  }
  for (let i = 1; i < task.warmup; i++) {
    for (const name of inRounds) {
      run(name)();
      send({ type: "progress" });
    }
  }
  // CPU time of the whole process per call (every thread: the solver's, the garbage collector's), beside the wall clock.
  const cpuSamples: Record<string, number[]> = {};
  if (task.rounds > 0) for (const name of inRounds) [samples[name], cpuSamples[name]] = [[], []];
  // Interleaved rounds, alternating the order, so that load from other processes hits all alike.
  for (let i = 0; i < task.rounds; i++) {
    for (const name of i % 2 === 0 ? inRounds : [...inRounds].reverse()) {
      const cpu = process.cpuUsage();
      samples[name]?.push(time(run(name)));
      const used = process.cpuUsage(cpu);
      cpuSamples[name]?.push((used.user + used.system) / 1000);
      send({ type: "progress" });
    }
  }
  send({ type: "done", samples, cpuSamples, first, peakRssBytes: peakRssBytes() }, () => process.disconnect());
}

process.once("message", (task: ChildTask) => {
  try {
    runTask(task);
  } catch (error) {
    send({ type: "failed", message: error instanceof Error ? (error.stack ?? error.message) : String(error) }, () => process.disconnect());
  }
});
