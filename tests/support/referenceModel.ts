import fc from "fast-check";
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from "node:worker_threads";
import type { Scenario } from "../../src/index.js";
import { at, defined, known } from "../../src/util/invariant.js";

/**
 * An independent formulation of docs/format.md §2 (with the joint network of §2.7), written straight from the text as
 * CPLEX LP text and solved by HiGHS' text interface. It shares nothing with
 * `src/formulate` or `src/solvers` (only the parsed scenario), so agreement
 * between the two is evidence that the engine's model is the spec's model.
 */

interface ReferenceSolution {
  Status: string;
  ObjectiveValue: number;
}

/**
 * How long one reference solve may take. HiGHS' text interface has no way to
 * stop it, and it can loop past its own time limit on a whole-unit model
 * whose lifted bounds are 1e9: the solve runs on a worker thread, and a case
 * it cannot decide in this time is skipped (a property's precondition) rather
 * than hanging the suite. JOINTPLAN_REFERENCE_SOLVE_MS sets the time (tests of
 * this guard).
 */
const REFERENCE_SOLVE_MS = Number(process.env["JOINTPLAN_REFERENCE_SOLVE_MS"] ?? 30_000);

/** The worker's side: loads HiGHS once, solves each text it is sent, answers, and wakes the waiting thread. */
const workerSource = `
const { workerData } = require("node:worker_threads");
const load = require("highs");
const ready = (load.default ?? load)();
const { port, flag } = workerData;
port.on("message", async ({ text, options }) => {
  let answer;
  try {
    const solution = (await ready).solve(text, options);
    answer = { Status: solution.Status, ObjectiveValue: solution.ObjectiveValue };
  } catch (error) {
    answer = { error: String(error && error.message ? error.message : error) };
  }
  port.postMessage(answer);
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
});
`;

let solver: { worker: Worker; port: MessagePort; flag: Int32Array } | undefined;

/** HiGHS' answer for LP text, on the worker thread; a solve longer than REFERENCE_SOLVE_MS skips the case. */
export function solveText(text: string, options: Record<string, unknown>): ReferenceSolution {
  if (solver === undefined) {
    const { port1, port2 } = new MessageChannel();
    const flag = new Int32Array(new SharedArrayBuffer(4));
    const worker = new Worker(workerSource, { eval: true, workerData: { port: port2, flag }, transferList: [port2] });
    worker.unref();
    solver = { worker, port: port1, flag };
  }
  const { worker, port, flag } = solver;
  Atomics.store(flag, 0, 0);
  port.postMessage({ text, options });
  if (Atomics.wait(flag, 0, 0, REFERENCE_SOLVE_MS) === "timed-out") {
    void worker.terminate();
    solver = undefined;
    console.warn(`a reference solve did not finish in ${REFERENCE_SOLVE_MS / 1000} s (HiGHS on a model with bounds of 1e9): the case is skipped`);
    fc.pre(false);
  }
  const answer = receiveMessageOnPort(port)?.message as (ReferenceSolution & { error?: string }) | undefined;
  if (answer === undefined) throw new Error("the reference solver woke without an answer");
  if (answer.error !== undefined) throw new Error(`the reference solver failed: ${answer.error}`);
  return answer;
}

export interface ReferenceResult {
  readonly status: "optimal" | "infeasible" | "unbounded";
  readonly objective: number | null;
}

function ownValue<T>(record: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.prototype.hasOwnProperty.call(record, key) ? record[key] : undefined;
}

function resolve(value: unknown, period: string): number {
  if (typeof value === "number") return value;
  const map = value as Record<string, number>;
  return defined(ownValue(map, period) ?? map["*"], `value for period ${period}`);
}

/** table[i][j], for positions the model made itself. */
function cell<T>(table: readonly (readonly T[])[], i: number, j: number): T {
  return at(at(table, i, "row"), j, "column");
}

export function solveReference(scenario: Scenario, integer = scenario.integer): ReferenceResult {
  const lp = emptyReferenceLp();
  addReferenceCopy(lp, scenario, { probability: 1 });
  return solveReferenceLp(lp, integer);
}

/** A model being written: variables v1, v2, … with their bounds, the objective, the rows. */
export interface ReferenceLp {
  count: number;
  sense: "Maximize" | "Minimize";
  readonly bounds: Map<string, [lower: number, upper: number]>;
  readonly objective: Map<string, number>;
  readonly rows: { terms: [string, number][]; sense: "<=" | ">=" | "="; rhs: number }[];
  readonly infeasible: { found: boolean };
  readonly wholeVariables: string[];
}

export function emptyReferenceLp(): ReferenceLp {
  return { count: 0, sense: "Maximize", bounds: new Map(), objective: new Map(), rows: [], infeasible: { found: false }, wholeVariables: [] };
}

/**
 * How one copy of the model enters a larger one — the two-stage plan's
 * extensive form, written in tests/stochastic from the text of its section:
 * its objective weighted by `probability`; the variables of the kinds in
 * `shared.kinds` (make, buy, build) named once for every copy, by route or
 * source and period; and, with `unsold`, unsold[r][t] ≥ 0 leaving each balance.
 */
export interface ReferenceCopy {
  readonly probability: number;
  readonly shared?: { readonly kinds: ReadonlySet<"make" | "buy" | "build">; readonly names: Map<string, string> };
  readonly unsold?: boolean;
}

/** Writes the model of `scenario` into `lp` (docs/format.md §2), as `copy` says. */
export function addReferenceCopy(lp: ReferenceLp, scenario: Scenario, copy: ReferenceCopy): void {
  const P = scenario.periods;
  const { objective, rows, infeasible } = lp;
  lp.sense = scenario.objective === "min_cost" ? "Minimize" : "Maximize";
  const variable = (kind: "make" | "stock" | "sell" | "buy" | "build" | "unsold", ...position: (number | string | null)[]): string => {
    const shared = copy.shared;
    if (shared === undefined || (kind !== "make" && kind !== "buy" && kind !== "build") || !shared.kinds.has(kind)) return `v${++lp.count}`;
    const key = JSON.stringify([kind, ...position]);
    let name = shared.names.get(key);
    if (name === undefined) {
      name = `v${++lp.count}`;
      shared.names.set(key, name);
    }
    return name;
  };
  /** lower ≤ name ≤ upper; a variable shared by several copies keeps the tightest bounds of all. */
  const bound = (name: string, lower: number, upper: number) => {
    const before = lp.bounds.get(name);
    lp.bounds.set(name, before === undefined ? [lower, upper] : [Math.max(before[0], lower), Math.min(before[1], upper)]);
  };
  const addObjective = (name: string, coefficient: number) => objective.set(name, (objective.get(name) ?? 0) + copy.probability * coefficient);
  const addRow = (terms: [string, number][], sense: "<=" | ">=" | "=", rhs: number) => {
    const live = terms.filter(([, c]) => c !== 0);
    if (live.length === 0) {
      if ((sense === "<=" && 0 > rhs + 1e-12) || (sense === ">=" && 0 < rhs - 1e-12) || (sense === "=" && Math.abs(rhs) > 1e-12)) infeasible.found = true;
      return;
    }
    rows.push({ terms: live, sense, rhs });
  };
  const sign = scenario.objective === "min_cost" ? 1 : -1; // cost terms: + when minimizing cost, − in margin
  // Discounting (docs/format.md §2.8): money of the period at position t is worth (1 + rate)^−t.
  const worth = (t: number) => Math.pow(1 + scenario.discount_rate, -t);

  const productById = new Map(scenario.products.map((p) => [p.id, p]));
  const inWindow = (productId: string, t: number) => {
    const product = known(productById, productId, "product");
    const from = product.available_from === undefined ? 0 : P.indexOf(product.available_from);
    const until = product.available_until === undefined ? P.length - 1 : P.indexOf(product.available_until);
    return t >= from && t <= until;
  };

  // make[r][t], stock[r][t], sell[r][d][t], buy[k][s][t]
  const make = scenario.routes.map((route, r) =>
    P.map((period, t) => {
      if (!inWindow(route.product, t)) return null;
      const name = variable("make", r, t);
      const lo = route.min === undefined ? 0 : resolve(route.min, period);
      const hi = route.max === undefined ? Infinity : resolve(route.max, period);
      bound(name, lo, hi);
      addObjective(name, scenario.objective === "max_units" ? 1 : sign * route.unit_cost * worth(t));
      return name;
    }),
  );
  const stock = scenario.routes.map((route) =>
    P.map((period, t) => {
      if (route.inventory === undefined) return null;
      const name = variable("stock");
      const hi = route.inventory.max === undefined ? Infinity : resolve(route.inventory.max, period);
      if (t === P.length - 1 && route.inventory.final !== undefined) {
        if (route.inventory.final > hi) infeasible.found = true;
        bound(name, route.inventory.final, route.inventory.final);
      } else {
        bound(name, 0, hi);
      }
      if (scenario.objective !== "max_units") addObjective(name, sign * route.inventory.holding_cost * worth(t));
      return name;
    }),
  );
  // The joint network (docs/format.md §1.6, §2.7): a route with ships_to sells only in its markets, each sale paying the
  // lane's cost and duty × price; parts are balanced per plant once a source is made at a plant or names where it delivers.
  const sell = scenario.routes.map((route) =>
    scenario.demand.map((demand) => {
      if (demand.product !== route.product) return null;
      const lane = route.ships_to === undefined ? undefined : ownValue(route.ships_to, demand.market);
      if (route.ships_to !== undefined && lane === undefined) return null;
      return P.map((period, t) => {
        const name = variable("sell");
        const hi = lane?.capacity === undefined ? Infinity : resolve(lane.capacity, period);
        bound(name, 0, hi);
        const price = resolve(demand.price, period);
        const shipping = lane === undefined ? 0 : lane.cost + lane.duty * price;
        if (scenario.objective === "max_margin") addObjective(name, (price - shipping) * worth(t));
        else if (scenario.objective === "min_cost") addObjective(name, shipping * worth(t));
        return name;
      });
    }),
  );
  const perPlant = scenario.parts.some((part) => part.sources.some((source) => source.plant !== undefined || source.delivers_to !== undefined));
  // Where each part is consumed: plants with a route whose product's bom names it, and plants making a part whose own bom names it.
  const consumers = scenario.parts.map((part) => {
    const plants = new Set<string>();
    for (const route of scenario.routes) if ((ownValue(known(productById, route.product, "product").bom ?? {}, part.id) ?? 0) !== 0) plants.add(route.plant);
    for (const other of scenario.parts)
      for (const source of other.sources) if (source.plant !== undefined && (ownValue(source.bom ?? {}, part.id) ?? 0) !== 0) plants.add(source.plant);
    return plants;
  });
  // buy[k][s]: per plant delivered to (one pooled entry, plant null, without the network), then per period.
  const buy = scenario.parts.map((part, k) =>
    part.sources.map((source, s) => {
      const destinations: (string | null)[] = perPlant
        ? scenario.plants
            .map((plant) => plant.id)
            .filter((plant) => at(consumers, k, "part").has(plant) && (source.delivers_to === undefined || ownValue(source.delivers_to, plant) !== undefined))
        : [null];
      return destinations.map((plant) => {
        const lane = plant === null || source.delivers_to === undefined ? undefined : ownValue(source.delivers_to, plant);
        const names = P.map((period, t) => {
          const name = variable("buy", k, s, plant, t);
          const hi =
            plant === null
              ? source.capacity === undefined
                ? Infinity
                : resolve(source.capacity, period)
              : lane?.capacity === undefined
                ? Infinity
                : resolve(lane.capacity, period);
          bound(name, 0, hi);
          const perUnit = lane === undefined ? source.unit_cost : source.unit_cost * (1 + lane.duty) + lane.cost;
          if (scenario.objective !== "max_units") addObjective(name, sign * perUnit * worth(t));
          return name;
        });
        return { plant, names };
      });
    }),
  );
  // Investments (docs/format.md §2.8): build[i][t] ∈ {0, 1} in the window; built by t is Σ_{t'≤t} build[i][t'].
  const { wholeVariables } = lp;
  const build = scenario.investments.map((investment, i) => {
    const from = investment.earliest === undefined ? 0 : P.indexOf(investment.earliest);
    const until = investment.latest === undefined ? P.length - 1 : P.indexOf(investment.latest);
    return P.map((_period, t) => {
      if (t < from || t > until) return null;
      const name = variable("build", i, t);
      if (!wholeVariables.includes(name)) wholeVariables.push(name);
      bound(name, 0, investment.built === false ? 0 : 1);
      if (scenario.objective !== "max_units") {
        let money = investment.fixed_cost * worth(t);
        for (let later = t; later < P.length; later++) money += resolve(investment.operating_cost, at(P, later, "period")) * worth(later);
        addObjective(name, sign * money);
      }
      return name;
    });
  });
  scenario.investments.forEach((investment, i) => {
    const terms = at(build, i, "investment").flatMap((name): [string, number][] => (name === null ? [] : [[name, 1]]));
    if (investment.required || investment.built === true) addRow(terms, "=", 1);
    else addRow(terms, "<=", 1);
  });
  for (const group of new Set(scenario.investments.flatMap((investment) => (investment.group === undefined ? [] : [investment.group])))) {
    const terms: [string, number][] = [];
    scenario.investments.forEach((investment, i) => {
      if (investment.group !== group) return;
      for (const name of at(build, i, "investment")) if (name !== null) terms.push([name, 1]);
    });
    addRow(terms, "<=", 1);
  }

  /** Units of source s of part k in period t, over every plant it delivers to. */
  const madeBy = (k: number, s: number, t: number, coefficient: number): [string, number][] =>
    cell(buy, k, s).map(({ names }) => [at(names, t, "period"), coefficient]);

  P.forEach((period, t) => {
    // Balance
    scenario.routes.forEach((route, r) => {
      const terms: [string, number][] = [];
      const m = cell(make, r, t);
      const before = t > 0 ? cell(stock, r, t - 1) : null;
      const kept = cell(stock, r, t);
      if (m) terms.push([m, 1]);
      if (before) terms.push([before, 1]);
      if (kept) terms.push([kept, -1]);
      at(sell, r, "route").forEach((perDemand) => {
        if (perDemand) terms.push([at(perDemand, t, "period"), -1]);
      });
      const initial = t === 0 && route.inventory ? route.inventory.initial : 0;
      if (copy.unsold === true && terms.length > 0) {
        const unsold = variable("unsold");
        bound(unsold, 0, Infinity);
        terms.push([unsold, -1]);
      }
      addRow(terms, "=", -initial);
    });
    // Capacity
    for (const plant of scenario.plants) {
      for (const [resource, capacity] of Object.entries(plant.resources)) {
        const terms: [string, number][] = [];
        scenario.routes.forEach((route, r) => {
          const m = cell(make, r, t);
          if (route.plant !== plant.id || !m) return;
          terms.push([m, ownValue(route.uses, resource) ?? 0]);
        });
        scenario.parts.forEach((part, k) =>
          part.sources.forEach((source, s) => {
            if (source.plant === plant.id) terms.push(...madeBy(k, s, t, ownValue(source.uses ?? {}, resource) ?? 0));
          }),
        );
        scenario.investments.forEach((investment, i) => {
          const adds = investment.plant === plant.id ? ownValue(investment.adds, resource) : undefined;
          if (adds === undefined) return;
          for (let built = 0; built <= t; built++) {
            const name = cell(build, i, built);
            if (name !== null) terms.push([name, -resolve(adds, period)]);
          }
        });
        addRow(terms, "<=", resolve(capacity, period));
      }
    }
    // Parts: pooled, or per plant in the joint network
    scenario.parts.forEach((part, k) => {
      for (const plant of perPlant ? scenario.plants.map((p) => p.id) : [null]) {
        const terms: [string, number][] = [];
        scenario.routes.forEach((route, r) => {
          if (plant !== null && route.plant !== plant) return;
          const bom = known(productById, route.product, "product").bom ?? {};
          const per = ownValue(bom, part.id) ?? 0;
          const m = cell(make, r, t);
          if (m && per) terms.push([m, per]);
        });
        scenario.parts.forEach((other, j) =>
          other.sources.forEach((source, s) => {
            const per = ownValue(source.bom ?? {}, part.id) ?? 0;
            if (plant !== null && source.plant === plant && per !== 0) terms.push(...madeBy(j, s, t, per));
          }),
        );
        part.sources.forEach((_, s) => {
          for (const delivery of cell(buy, k, s)) if (delivery.plant === plant) terms.push([at(delivery.names, t, "period"), -1]);
        });
        addRow(terms, "=", 0);
      }
      // Per plant, a source's capacity bounds what it delivers to all plants together.
      if (perPlant) {
        part.sources.forEach((source, s) => {
          if (source.capacity !== undefined) addRow(madeBy(k, s, t, 1), "<=", resolve(source.capacity, period));
        });
      }
    });
    // Demand
    scenario.demand.forEach((demand, d) => {
      const terms: [string, number][] = [];
      scenario.routes.forEach((_, r) => {
        const perDemand = cell(sell, r, d);
        if (perDemand) terms.push([at(perDemand, t, "period"), 1]);
      });
      const lo = resolve(demand.min, period);
      if (lo > 0) addRow(terms, ">=", lo);
      if (demand.max !== undefined) addRow(terms, "<=", resolve(demand.max, period));
    });
    // Targets
    for (const target of scenario.targets) {
      if (target.periods !== undefined && !target.periods.includes(period)) continue;
      const productCounts = (id: string) => {
        const product = known(productById, id, "product");
        return (!target.families || target.families.includes(product.family)) && (!target.products || target.products.includes(id));
      };
      const routeCounts = (r: number) => {
        const route = at(scenario.routes, r, "route");
        return productCounts(route.product) && (!target.plants || target.plants.includes(route.plant));
      };
      const lo = target.min === undefined ? undefined : resolve(target.min, period);
      const hi = target.max === undefined ? undefined : resolve(target.max, period);
      if (target.kind === "units") {
        const terms: [string, number][] = [];
        scenario.routes.forEach((_, r) => {
          const m = cell(make, r, t);
          if (routeCounts(r) && m) terms.push([m, 1]);
        });
        if (lo !== undefined) addRow(terms, ">=", lo);
        if (hi !== undefined) addRow(terms, "<=", hi);
      } else if (target.kind === "export_share") {
        for (const [bound, sense] of [
          [lo, ">="],
          [hi, "<="],
        ] as const) {
          if (bound === undefined) continue;
          const terms: [string, number][] = [];
          scenario.routes.forEach((_, r) => {
            if (!routeCounts(r)) return;
            scenario.demand.forEach((demand, d) => {
              const perDemand = cell(sell, r, d);
              if (!perDemand) return;
              const exported = defined(
                scenario.markets.find((m) => m.id === demand.market),
                "market",
              ).export;
              terms.push([at(perDemand, t, "period"), (exported ? 1 : 0) - bound]);
            });
          });
          addRow(terms, sense, 0);
        }
      } else {
        const partsCounted = new Set<string>();
        for (const product of scenario.products) {
          if (!productCounts(product.id)) continue;
          const plants = target.plants;
          if (plants && !scenario.routes.some((route) => route.product === product.id && plants.includes(route.plant))) continue;
          for (const part of Object.keys(product.bom ?? {})) partsCounted.add(part);
        }
        for (const [bound, sense] of [
          [lo, ">="],
          [hi, "<="],
        ] as const) {
          if (bound === undefined) continue;
          const terms: [string, number][] = [];
          scenario.parts.forEach((part, k) => {
            if (!partsCounted.has(part.id)) return;
            part.sources.forEach((source, s) => terms.push(...madeBy(k, s, t, part.value * ((source.local ? 1 : 0) - bound))));
          });
          addRow(terms, sense, 0);
        }
      }
    }
  });
}

/** Solves a written model with HiGHS' text interface; `integer`: every variable whole. */
export function solveReferenceLp(lp: ReferenceLp, integer: boolean): ReferenceResult {
  const { objective, rows, infeasible, wholeVariables, count } = lp;
  const bounds = [...lp.bounds].map(([name, [lo, hi]]) => (hi === Infinity ? `${name} >= ${lo}` : lo === hi ? `${name} = ${lo}` : `${lo} <= ${name} <= ${hi}`));
  if (infeasible.found) return { status: "infeasible", objective: null };
  const num = (x: number) => (Number.isInteger(x) ? String(x) : x.toPrecision(17));
  const expression = (terms: Iterable<[string, number]>) => {
    let text = "";
    for (const [name, c] of terms) text += ` ${c < 0 ? "-" : "+"} ${num(Math.abs(c))} ${name}`;
    return text === "" ? " 0 v1" : text;
  };
  const lines = [
    lp.sense,
    ` obj:${expression([...objective].filter(([, c]) => c !== 0))}`,
    "Subject To",
    ...rows.map((row, i) => ` c${i + 1}:${expression(row.terms)} ${row.sense} ${num(row.rhs)}`),
    "Bounds",
    ...bounds.map((b) => ` ${b}`),
  ];
  // Whole units make every variable integer; investments' builds are whole in any case.
  const mip = (integer && count > 0) || wholeVariables.length > 0;
  if (integer && count > 0) lines.push("General", ` ${Array.from({ length: count }, (_, i) => `v${i + 1}`).join(" ")}`);
  else if (wholeVariables.length > 0) lines.push("General", ` ${wholeVariables.join(" ")}`);
  lines.push("End");
  // Investments in fractional units: decisions are few, so the search is run to the proof (whole units keep HiGHS' own gap).
  const solution = solveText(lines.join("\n"), { output_flag: false, ...(!integer && wholeVariables.length > 0 ? { mip_rel_gap: 0 } : {}) });
  // Decided with a zero objective, where nothing is unbounded: feasible or not.
  const feasibleAtAll = () => {
    const feasibility = [lines[0], " obj: 0 v1", ...lines.slice(2)].join("\n");
    return solveText(feasibility, { output_flag: false, presolve: "off" }).Status === "Optimal";
  };
  switch (solution.Status) {
    case "Optimal": {
      if (mip) {
        // HiGHS' branch and bound can report a huge "optimum" where the relaxation is unbounded;
        // with a whole-unit point found, the model is then unbounded.
        const relaxed = solveText(lines.filter((line, i) => line !== "General" && lines[i - 1] !== "General").join("\n"), { output_flag: false });
        const unbounded = relaxed.Status === "Unbounded" || (relaxed.Status !== "Optimal" && feasibleAtAll());
        if (unbounded) return { status: "unbounded", objective: null };
      }
      return { status: "optimal", objective: solution.ObjectiveValue };
    }
    case "Infeasible":
      // HiGHS may call an LP with an unbounded ray infeasible: an LP's verdict is checked.
      if (!mip && feasibleAtAll()) return { status: "unbounded", objective: null };
      return { status: "infeasible", objective: null };
    case "Unbounded":
      return { status: "unbounded", objective: null };
    default:
      // "Primal infeasible or unbounded".
      return { status: feasibleAtAll() ? "unbounded" : "infeasible", objective: null };
  }
}
