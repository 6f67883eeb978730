// A solve-pool worker entry for tests (http-task-errors.test.ts): the service's own
// task (built, dist/), except for scenarios titled "fault: throw" — the task then meets
// a scenario whose fields throw when read, a stand-in for a bug — and "fault: exit",
// where the worker thread exits in the middle of the task.
import { runPlanTask } from "../../dist/http/planTask.js";

const booby = new Proxy(
  {},
  {
    get() {
      throw new TypeError("a bug in the task");
    },
  },
);

export default function faultyTask(task) {
  const title = task.scenario?.title;
  if (title === "fault: exit") process.exit(7);
  return runPlanTask(title === "fault: throw" ? { ...task, scenario: booby } : task);
}
