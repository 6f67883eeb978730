/**
 * The worker-thread entry of the solve pool (piscina loads it once per
 * thread; HiGHS loads with it). It runs the very function the request thread
 * runs for small models.
 */
export { runPlanTask as default } from "./planTask.js";
