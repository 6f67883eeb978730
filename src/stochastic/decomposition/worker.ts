/**
 * The worker-thread entry of decomposition pools (piscina loads it once per
 * thread; HiGHS loads with it): one chunk of subproblems per task, the run's
 * models kept between its chunks (see `runSubproblemChunk`).
 */
import { runSubproblemChunk } from "./chunk.js";

export default runSubproblemChunk;
