// A task-pool worker entry for tests (tests/http/task-errors.test.ts, tests/http/hardening.test.ts):
// the service's own worker (built, dist/), except for scenarios titled
// - "fault: throw": the task meets a scenario whose fields throw when read, a stand-in for a bug;
// - "fault: exit": the worker thread exits in the middle of the task;
// - "fault: highs": HiGHS fails in this thread (as a WebAssembly abort would leave it) before the task runs;
// - "fault: hang": the task sends a fallback answer marked as its own, then never returns.
import work from "../../dist/tasks/worker.js";
import { highsRuntime } from "../../dist/solvers/highsRuntime.js";

const booby = new Proxy(
  {},
  {
    get() {
      throw new TypeError("a bug in the task");
    },
  },
);

export default function faultyWork(input) {
  const title = input.task.body.scenario?.title;
  if (title === "fault: exit") process.exit(7);
  if (title === "fault: highs") highsRuntime.discard(new Error("simulated WebAssembly abort (out of memory)"));
  if (title === "fault: hang") {
    input.port.postMessage({ kind: "started" });
    const summary = { scenario: "hang", status: "time_limit", backend: "highs", solveMs: 1 };
    input.port.postMessage({ kind: "fallback", json: JSON.stringify({ sent: "by the worker before it hung" }), summary });
    for (;;);
  }
  return work(title === "fault: throw" ? { ...input, task: { ...input.task, body: { ...input.task.body, scenario: booby } } } : input);
}
