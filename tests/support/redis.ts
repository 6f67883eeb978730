import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { createConnection, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe } from "vitest";

/**
 * A Redis of a test suite's own: Debian's redis-server on a port the OS
 * hands out, with persistence off and its files in a temporary directory,
 * stopped by the suite. Never the machine's shared Redis on 6379.
 */

export const REDIS_SERVER = "/usr/bin/redis-server";

/** Why the Redis suites cannot run here; null when they can. */
export function redisUnavailable(): string | null {
  if (!existsSync(REDIS_SERVER)) return `${REDIS_SERVER} is missing (install it with: apt-get install -y redis-server)`;
  return null;
}

/** Why a suite that needs Redis cannot run, said once on stderr (and by the caller in the suite's name); null when it can. */
export function redisSkip(file: string): string | null {
  const unavailable = redisUnavailable();
  // Said on stderr and in the suite's name, so that a run without Redis never reads as a pass.
  if (unavailable !== null) process.stderr.write(`\n[${file}] NOT RUN — the job queue tests need Redis: ${unavailable}.\n\n`);
  return unavailable;
}

/** A port that nothing listens on now: the OS's pick for a socket opened and closed at once. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === "string") throw new Error("the OS gave no port");
  return address.port;
}

export interface RedisServer {
  /** redis://127.0.0.1:<port> */
  readonly url: string;
  readonly port: number;
  /** Stops the server (SIGTERM, then SIGKILL if it lingers) and removes its directory. */
  stop(): Promise<void>;
}

/** Starts a redis-server of its own and waits until it answers PING (a port taken meanwhile is tried again on another). */
export async function startRedis(): Promise<RedisServer> {
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    const dir = await mkdtemp(join(tmpdir(), "jointplan-redis-"));
    const port = await freePort();
    const child = spawn(
      REDIS_SERVER,
      ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir, "--daemonize", "no", "--loglevel", "warning"],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const stop = async () => {
      await stopProcess(child);
      await rm(dir, { recursive: true, force: true });
    };
    try {
      await untilPong(port, child, () => output);
      return { url: `redis://127.0.0.1:${port}`, port, stop };
    } catch (error) {
      lastError = error;
      await stop();
    }
  }
  throw lastError;
}

/** Waits until the server on `port` answers PING with PONG; fails at once if it exits, and after 10 s. */
async function untilPong(port: number, child: ChildProcess, output: () => string): Promise<void> {
  const until = Date.now() + 10_000;
  while (Date.now() < until) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`redis-server exited (${child.exitCode ?? child.signalCode}) before it answered: ${output().trim()}`);
    if (await pings(port)) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`redis-server on port ${port} did not answer PING within 10 s: ${output().trim()}`);
}

/** Whether something on `port` answers the inline command PING with +PONG. */
function pings(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host: "127.0.0.1" });
    let answer = "";
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1_000, () => done(false));
    socket.on("error", () => done(false));
    socket.on("connect", () => socket.write("PING\r\n"));
    socket.on("data", (chunk: Buffer) => {
      answer += chunk.toString();
      if (answer.includes("\r\n")) done(answer.startsWith("+PONG"));
    });
  });
}

/** Sends SIGTERM and waits for the exit; SIGKILL after `graceMs`. Nothing to do for a process already gone. */
export async function stopProcess(child: ChildProcess, graceMs = 5_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
  await exited;
  clearTimeout(timer);
}

/**
 * A suite that needs a Redis of its own: where redis-server is missing it is
 * skipped and its name says NOT RUN and why (`redisSkip`); otherwise a server
 * is started before its tests and stopped after them. `body` defines the
 * tests; `redis()` is the running server inside them.
 */
export function describeWithRedis(file: string, title: string, timeout: number, body: (redis: () => RedisServer) => void): void {
  const unavailable = redisSkip(file);
  describe.skipIf(unavailable !== null)(`${title}${unavailable === null ? "" : ` — NOT RUN: ${unavailable}`}`, { timeout }, () => {
    let server: RedisServer | undefined;
    beforeAll(async () => {
      server = await startRedis();
    });
    afterAll(async () => {
      await server?.stop();
    });
    body(() => {
      if (server === undefined) throw new Error("the suite's Redis has not started");
      return server;
    });
  });
}
