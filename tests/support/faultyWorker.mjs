// A task-pool worker entry for tests (tests/http/task-errors.test.ts): the service's own
// worker (built, dist/), except for scenarios titled "fault: throw" — the task then meets
// a scenario whose fields throw when read, a stand-in for a bug — and "fault: exit",
// where the worker thread exits in the middle of the task.
import work from "../../dist/tasks/worker.js";

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
  return work(title === "fault: throw" ? { ...input, task: { ...input.task, body: { ...input.task.body, scenario: booby } } } : input);
}
