import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { renderExplanation } from "../../src/cli/explanationText.js";
import { formatMoney, formatShare, formatUnits } from "../../src/explain/words.js";
import { loadBundledScenario, parseScenario, plan, type Plan } from "../../src/index.js";
import { besidesRefusal, browserSkip, count, pageSuite, shown, tableRows } from "./pageSession.js";

/**
 * The planner's page in a real browser (Debian's Chromium, driven by
 * playwright-core) against the real service: what it shows is checked
 * against the library's own plan of the same scenario. The levers, the
 * comparison and the sweep: tests/web/whatif.test.ts.
 */

const unavailable = browserSkip("tests/web/page.test.ts");

describe.skipIf(unavailable !== null)(`the planner's page in Chromium${unavailable === null ? "" : ` — NOT RUN: ${unavailable}`}`, () => {
  const { open, base } = pageSuite();

  const untimed = (result: Plan) => ({ ...result, solver: { ...result.solver, ms: 0 } });

  it("opens kz-uz-2020 and shows the library's plan: headline figures, production, charts, what binds", async () => {
    const { page, trouble } = await open("/");
    const expected = plan(loadBundledScenario("kz-uz-2020"), { explain: true });
    expect(expected.status).toBe("optimal");

    expect(await page.textContent("h1")).toBe("Kazakhstan–Uzbekistan joint vehicle programme, 2020");
    expect(await page.textContent("#figure-status .value")).toBe("Optimal");
    expect(await page.textContent("#figure-objective .value")).toBe(`${formatMoney(expected.objective ?? Number.NaN)} USD`);
    const made = expected.production.reduce((sum, row) => sum + row.units, 0);
    expect(await page.textContent("#figure-units .value")).toBe(`${formatUnits(made)} units`);
    expect(await page.textContent("#figure-units .detail")).toBe("joint goal: 7,000 units · met");
    const sold = expected.sales.reduce((sum, row) => sum + row.units, 0);
    const exported = expected.sales.filter((row) => row.market === "KZ").reduce((sum, row) => sum + row.units, 0);
    expect(await page.textContent("#figure-export .value")).toBe(formatShare(exported / sold));
    const localParts = expected.targets.find((row) => row.id === "car_local_parts");
    expect(await page.textContent("#figure-local .value")).toBe(formatShare(localParts?.value ?? null));
    expect(await page.textContent("#figure-local .detail")).toBe("car parts, by value · target at least 75.0%");
    expect(await page.textContent("#figure-verification .value")).toBe("Passed");

    // Production: every (plant, product) of the library's plan, in the table.
    const production = await tableRows(page, "#production table");
    const plants = ["andijan", "samarkand", "tashkent"];
    const names = new Map(parseScenario(loadBundledScenario("kz-uz-2020")).products.map((product) => [product.id, product.name ?? product.id]));
    for (const row of expected.production) {
      const cells = production.get(names.get(row.product) ?? "");
      expect(cells?.[plants.indexOf(row.plant)], `${row.product} at ${row.plant}`).toBe(formatUnits(row.units));
    }
    expect(production.size).toBe(new Set(expected.production.map((row) => row.product)).size);

    // Charts (SVG drawn by the chart library) for production, capacity and parts.
    for (const section of ["#production", "#capacity", "#parts"]) expect(await page.locator(`${section} figure svg`).count(), section).toBeGreaterThan(0);
    // Capacity: the rows that bind are those used to the full.
    const capacity = await tableRows(page, "#capacity table");
    for (const row of expected.capacity) {
      const label = [...capacity.keys()].find(
        (key) => key.startsWith(row.plant.charAt(0).toUpperCase() + row.plant.slice(1)) && key.endsWith(row.resource.replaceAll("_", " ")),
      );
      expect(label, `${row.plant} ${row.resource}`).toBeDefined();
      const binds = row.used >= row.available * (1 - 1e-9);
      expect(capacity.get(label ?? "")?.[2]?.includes("binds"), `${row.plant} ${row.resource}`).toBe(binds);
    }
    // What binds: the dearest price first, as the CLI ranks them.
    const dearest = [...(expected.sensitivity?.bounds ?? [])].sort((a, b) => Math.abs(b.shadow_price) - Math.abs(a.shadow_price))[0];
    expect(await page.textContent("#explanation")).toContain(formatUnits(dearest?.shadow_price ?? Number.NaN));

    expect(trouble).toEqual({ console: [], failed: [] });
    await page.close();
  });

  it("?scenario=kz-uz-parts-shortage says why no plan exists and the smallest fix, in the CLI's words", async () => {
    const { page, trouble } = await open("/?scenario=kz-uz-parts-shortage");
    const document = loadBundledScenario("kz-uz-parts-shortage");
    const expected = plan(document, { explain: true });
    expect(expected.status).toBe("infeasible");
    const cli = renderExplanation(parseScenario(document), expected);
    const lines = cli.split("\n").filter((line) => line !== "" && line !== "Why no plan exists");
    expect(lines.length).toBeGreaterThanOrEqual(3);
    expect(await page.textContent("#figure-status .value")).toBe("Infeasible");
    expect(await page.textContent("#explanation h2")).toBe("Why no plan exists");
    const paragraphs = await page.$$eval("#explanation p", (ps) => ps.map((p) => p.textContent));
    expect(paragraphs).toEqual(lines);
    expect(paragraphs.join(" ")).toContain("+1,209 units of stamped body set from Andijan stamping");
    expect(trouble).toEqual({ console: [], failed: [] });
    await page.close();
  });

  it("whole units on and off: in the link, planned by the server as the library plans them, restored by back and forward", async () => {
    const { page, trouble } = await open("/");
    let seen = await count(page);
    await page.check("#integer");
    seen = await shown(page, seen);
    expect(new URL(page.url()).search).toBe("?integer=1");
    const whole = plan(loadBundledScenario("kz-uz-2020"), { integer: true, explain: true });
    expect(await page.textContent("#figure-status .detail")).toContain("whole units");
    expect(await page.textContent("#figure-objective .value")).toBe(`${formatMoney(whole.objective ?? Number.NaN)} USD`);
    const production = await tableRows(page, "#production table");
    expect(production.get("total")).toBeUndefined(); // the total is the footer, not a body row
    const cells = [...production.values()].flatMap((row) => row.filter((cell) => cell !== "—"));
    expect(cells.every((cell) => /^[\d,]+$/.test(cell))).toBe(true);

    await page.goBack();
    seen = await shown(page, seen);
    expect(new URL(page.url()).search).toBe("");
    expect(await page.isChecked("#integer")).toBe(false);
    expect(await page.textContent("#figure-status .detail")).toContain("fractional units allowed");
    await page.goForward();
    await shown(page, seen);
    expect(await page.isChecked("#integer")).toBe(true);
    expect(trouble).toEqual({ console: [], failed: [] });
    await page.close();
  });

  it("picks a bundled scenario from the list; the link names it; back returns to the one before", async () => {
    const { page, trouble } = await open("/");
    const summaries = (await (await fetch(`${base()}/v1/scenarios`)).json()) as unknown;
    const options = await page.$$eval("#scenario-select option", (items) => items.map((item) => (item as HTMLOptionElement).value));
    expect(options).toEqual((summaries as { id: string }[]).map((summary) => summary.id));
    let seen = await count(page);
    await page.selectOption("#scenario-select", "kz-uz-2019-2025");
    seen = await shown(page, seen);
    expect(new URL(page.url()).search).toBe("?scenario=kz-uz-2019-2025");
    expect(await page.textContent("h1")).toContain("2019");
    // Several periods: a period choice, and the figures of the period shown.
    const periods = await page.$$eval("#period option", (items) => items.map((item) => (item as HTMLOptionElement).value));
    expect(periods[0]).toBe("2019");
    await page.selectOption("#period", "2025");
    seen = await shown(page, seen);
    expect(new URL(page.url()).search).toBe("?scenario=kz-uz-2019-2025&period=2025");
    const expected = plan(loadBundledScenario("kz-uz-2019-2025"), { explain: true });
    const goal2025 = expected.targets.find((row) => row.id === "joint_goal" && row.period === "2025");
    expect(await page.textContent("#figure-units .detail")).toContain(`${formatUnits(goal2025?.min ?? Number.NaN)} units`);
    expect(await page.textContent("#headline-title")).toBe("Headline figures, 2025");

    await page.goBack();
    seen = await shown(page, seen);
    await page.goBack();
    await shown(page, seen);
    expect(new URL(page.url()).search).toBe("");
    expect(await page.textContent("h1")).toBe("Kazakhstan–Uzbekistan joint vehicle programme, 2020");
    expect(trouble).toEqual({ console: [], failed: [] });
    await page.close();
  });

  it("loads a scenario file through the file input and plans it; a broken file is explained next to the input", async () => {
    const { page, trouble } = await open("/");
    const document = structuredClone(loadBundledScenario("kz-uz-2020")) as { id: string; title: string; targets: { id: string; min?: number }[] };
    document.id = "my-variant";
    document.title = "My variant: a 6,500-unit goal";
    const goal = document.targets.find((target) => target.id === "joint_goal");
    if (goal !== undefined) goal.min = 6500;
    const expected = plan(document, { explain: true });

    let seen = await count(page);
    await page.setInputFiles("#scenario-file", { name: "my-variant.json", mimeType: "application/json", buffer: Buffer.from(JSON.stringify(document)) });
    await shown(page, seen);
    expect(new URL(page.url()).search).toBe("?file=my-variant.json");
    expect(await page.textContent("h1")).toBe("My variant: a 6,500-unit goal");
    expect(await page.textContent("#figure-objective .value")).toBe(`${formatMoney(expected.objective ?? Number.NaN)} USD`);
    expect(await page.textContent("#figure-units .detail")).toContain("6,500 units");
    // The file stays with the tab: a reload plans it again.
    await page.reload();
    seen = await shown(page, 0);
    expect(await page.textContent("h1")).toBe("My variant: a 6,500-unit goal");
    expect(trouble).toEqual({ console: [], failed: [] });

    // Not JSON: said at the file input, nothing sent.
    await page.setInputFiles("#scenario-file", { name: "broken.json", mimeType: "application/json", buffer: Buffer.from("{ not json") });
    seen = await shown(page, seen);
    expect(await page.textContent("#scenario-file-error")).toContain("broken.json is not JSON");
    expect(await page.isVisible("#scenario-file-error")).toBe(true);

    // Valid JSON, invalid scenario: the server's errors, each with its path in the file, at the file input.
    const invalid = structuredClone(document) as unknown as { routes: { plant: string }[]; currency: unknown };
    const firstRoute = invalid.routes[0];
    if (firstRoute !== undefined) firstRoute.plant = "atlantis";
    invalid.currency = 42;
    await page.setInputFiles("#scenario-file", { name: "invalid.json", mimeType: "application/json", buffer: Buffer.from(JSON.stringify(invalid)) });
    await shown(page, seen);
    const errors = await page.$$eval("#scenario-file-error li", (items) => items.map((item) => item.textContent));
    expect(errors.some((error) => error.startsWith("routes[0].plant:"))).toBe(true);
    expect(errors.some((error) => error.startsWith("currency:"))).toBe(true);
    expect(await page.isHidden("#general-error")).toBe(true);
    // The server's 422, which the browser logs itself, and nothing else.
    expect(besidesRefusal(trouble)).toEqual({ console: [], failed: ["422 /v1/plans"] });
    await page.close();
  });

  it("an unknown scenario in the link is said at the scenario choice", async () => {
    const { page, trouble } = await open("/?scenario=atlantis-2020");
    expect(await page.textContent("#scenario-select-error")).toContain('No bundled scenario has the id "atlantis-2020"');
    expect(trouble.failed).toEqual(["404 /v1/scenarios/atlantis-2020"]);
    await page.close();
  });

  it("downloads the plan as the server's JSON and as one CSV table", async () => {
    const { page, trouble } = await open("/");
    const expected = plan(loadBundledScenario("kz-uz-2020"), { explain: true });
    const [json] = await Promise.all([page.waitForEvent("download"), page.click("#download-json")]);
    expect(json.suggestedFilename()).toBe("kz-uz-2020-plan.json");
    const downloaded = JSON.parse(readFileSync(await json.path(), "utf8")) as Plan;
    expect(untimed(downloaded)).toEqual(untimed(expected));
    const [csv] = await Promise.all([page.waitForEvent("download"), page.click("#download-csv")]);
    expect(csv.suggestedFilename()).toBe("kz-uz-2020-plan.csv");
    const lines = readFileSync(await csv.path(), "utf8")
      .trimEnd()
      .split("\r\n");
    expect(lines[0]?.startsWith("section,period,plant,product")).toBe(true);
    expect(lines.length - 1).toBe(
      expected.production.length +
        expected.sales.length +
        expected.inventory.length +
        expected.procurement.length +
        expected.capacity.length +
        expected.targets.length,
    );
    expect(trouble).toEqual({ console: [], failed: [] });
    await page.close();
  });

  it("fits 390 px without horizontal scrolling, every control has an accessible name, and the keyboard reaches them with a visible focus", async () => {
    const views = [
      "/",
      "/?scenario=kz-uz-parts-shortage",
      "/?view=compare&target.joint_goal=6800&capacity.andijan=1.1",
      "/?view=sweep&sweep.on=target&sweep.id=joint_goal&sweep.field=min&sweep.from=4000&sweep.to=7450",
      "/?scenario=kz-uz-2019-2025&view=sweep&sweep.on=demand&sweep.market=KZ&sweep.product=tractor&sweep.field=price&sweep.steps=5",
      "/?scenario=kz-uz-joint-2020",
      "/?view=stochastic",
    ];
    for (const path of views) {
      const { page, trouble } = await open(path, 390);
      await page.evaluate(() => document.querySelector("details.levers")?.setAttribute("open", ""));
      await page.waitForTimeout(100);
      const widths = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
      expect(widths.scroll, path).toBeLessThanOrEqual(widths.client);

      // Accessible names as the browser computes them (Chromium's accessibility tree).
      const cdp = await page.context().newCDPSession(page);
      const { root } = await cdp.send("DOM.getDocument", { depth: -1 });
      const { nodeIds } = await cdp.send("DOM.querySelectorAll", { nodeId: root.nodeId, selector: "input, select, button, textarea, a[href], summary" });
      expect(nodeIds.length).toBeGreaterThan(5);
      const unnamed: string[] = [];
      for (const nodeId of nodeIds) {
        const { nodes } = await cdp.send("Accessibility.getPartialAXTree", { nodeId, fetchRelatives: false });
        const node = nodes[0];
        const name = typeof node?.name?.value === "string" ? node.name.value.trim() : "";
        if (name === "") unnamed.push((await cdp.send("DOM.getOuterHTML", { nodeId })).outerHTML.slice(0, 120));
      }
      expect(unnamed, path).toEqual([]);
      await cdp.detach();
      expect(trouble, path).toEqual({ console: [], failed: [] });
      await page.close();
    }

    // Keyboard: Tab reaches every control of the plan and of the sweep (the compare view has none of its own), each with a visible outline.
    const reach = [
      {
        path: "/",
        ids: ["scenario-select", "scenario-file", "integer", "lever-0", "lever-3", "levers-reset", "keep-baseline", "tab-compare", "download-json"],
      },
      { path: "/?view=sweep", ids: ["tab-sweep", "sweep-parameter", "sweep-from", "sweep-to", "sweep-mode", "sweep-run"] },
    ];
    for (const { path, ids } of reach) {
      const { page } = await open(path);
      // Reset is off until a lever moves: move one, so that the keyboard has every control to reach.
      if (path === "/") {
        const seen = await count(page);
        await page.fill("#lever-0", "6900");
        await page.press("#lever-0", "Enter");
        await shown(page, seen);
        await page.focus("#scenario-select");
        await page.keyboard.press("Shift+Tab");
      }
      const reached = new Set<string>();
      for (let i = 0; i < 45; i++) {
        await page.keyboard.press("Tab");
        const focused = await page.evaluate(() => {
          const element = document.activeElement;
          if (!(element instanceof HTMLElement) || element === document.body) return null;
          const style = getComputedStyle(element);
          return {
            id: element.id || element.textContent.trim().slice(0, 40) || element.tagName,
            outline: style.outlineStyle !== "none" && style.outlineWidth !== "0px",
          };
        });
        if (focused === null) continue;
        expect(focused.outline, `${focused.id} shows its focus`).toBe(true);
        reached.add(focused.id);
      }
      for (const id of ids) expect([...reached], `${path}: ${id}`).toContain(id);
      await page.close();
    }
  }, 120_000);
});
