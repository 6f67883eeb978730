/**
 * The worker-thread entry of Monte Carlo pools (piscina loads it once per
 * thread; HiGHS loads with it): one chunk per task, the model of the last
 * run kept between its chunks (see `runMonteCarloChunk`).
 */
import { runMonteCarloChunk } from "./chunk.js";

export default runMonteCarloChunk;
