import { EmbeddedJobs, type EmbeddedOptions } from "./embedded.js";
import type { JobEngine } from "./engine.js";
import { RedisJobs } from "./redis.js";
import type { JobSettings } from "./settings.js";

/** The engine the settings call for: Redis when a URL is set, else jobs inside this process. */
export function createJobEngine(settings: JobSettings, options: EmbeddedOptions = {}): JobEngine {
  return settings.redisUrl === undefined ? new EmbeddedJobs(settings, options) : new RedisJobs(settings.redisUrl, settings);
}
