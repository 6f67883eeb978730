import { describe, expect, it } from "vitest";
import { formatMoney, formatUnits } from "../../src/explain/words.js";
import { applyChanges, loadBundledScenario, plan, sweep, type Change } from "../../src/index.js";
import { formatSlope } from "../../src/whatif/words.js";
import { pointOnPath } from "../../web/browser.js";
import { browserSkip, count, pageSuite, shown, tableRows, texts } from "./pageSession.js";

/**
 * The joint network on the planner's page, in Chromium against the real
 * service: the flow picture of kz-uz-joint-2020 (the border, the Kostanay kit
 * flow, freight and duty on hover and focus, at 390 px too), the network's
 * tables, the duty levers and the network's sweeps — each against the
 * library's own plan or sweep of the same scenario.
 */

const unavailable = browserSkip("tests/web/networkView.test.ts");

const JOINT = "/?scenario=kz-uz-joint-2020";
const joint = loadBundledScenario("kz-uz-joint-2020");
const usd = (value: number | null | undefined) => `${formatMoney(value ?? Number.NaN)} USD`;
const KIT_FLOW = 'svg.network path.flow[aria-label^="Andijan kit line → Kostanay:"]';

describe.skipIf(unavailable !== null)(`the joint network on the planner's page in Chromium${unavailable === null ? "" : ` — NOT RUN: ${unavailable}`}`, () => {
  const { open } = pageSuite();

  it("draws kz-uz-joint-2020's network: sources, plants and markets, the border, the Kostanay kit flow with its freight and duty on hover and focus", async () => {
    const { page, trouble } = await open(JOINT);
    const expected = plan(joint, { explain: true });
    const kits = expected.procurement.find((row) => row.source === "andijan_kit_line" && row.plant === "kostanay");
    expect(kits?.units).toBeGreaterThan(0);

    expect(await page.textContent("#network-title")).toBe("The network");
    expect(await texts(page, "svg.network .heading")).toEqual(["Sources", "Plants", "Markets"]);
    expect(await page.locator("svg.network line.border").count()).toBe(1);
    expect(await texts(page, "svg.network text.country")).toEqual(["UZ ↑", "KZ ↓"]);
    const labels = await texts(page, "svg.network .node text");
    for (const name of ["Andijan", "Samarkand", "Tashkent", "Kostanay", "Uzbekistan", "Kazakhstan", "Andijan kit line", "Korea import"])
      expect(labels).toContain(name);

    // The kit flow: across the border, paying duty, as wide as the units it carries on the parts' scale.
    const kit = page.locator(KIT_FLOW);
    expect(await kit.count()).toBe(1);
    expect(await kit.getAttribute("class")).toBe("flow duty crossing");
    const words = `freight ${usd(kits?.freight)} · duty ${usd(kits?.duty)}`;
    expect(await kit.getAttribute("aria-label")).toContain(words);
    expect(await kit.getAttribute("aria-label")).toContain(`${formatUnits(Math.round(kits?.units ?? 0))} parts: painted body and interior kit`);
    expect(await kit.getAttribute("aria-label")).toContain("crosses the border UZ → KZ");

    // Hover: the tooltip names the flow, its freight and its duty, and the flow is highlighted.
    expect(await page.isHidden(".network-tooltip")).toBe(true);
    const point = await pointOnPath(page, KIT_FLOW);
    await page.mouse.move(point.x, point.y);
    expect(await page.isVisible(".network-tooltip")).toBe(true);
    expect(await page.textContent(".network-tooltip strong")).toBe("Andijan kit line → Kostanay");
    expect(await page.textContent(".network-tooltip")).toContain(words);
    expect(await kit.getAttribute("class")).toContain("active");
    await page.mouse.move(2, 2);
    expect(await page.isHidden(".network-tooltip")).toBe(true);

    // Keyboard: Tab reaches one flow, the arrow keys go from flow to flow, each showing its figures with a visible focus.
    await page.focus("#download-json");
    let reached = false;
    for (let i = 0; i < 40 && !reached; i++) {
      await page.keyboard.press("Shift+Tab");
      reached = await page.evaluate(() => document.activeElement?.classList.contains("flow") === true);
    }
    expect(reached).toBe(true);
    const flows = await page.locator("svg.network path.flow").count();
    const seenLabels = new Set<string>();
    for (let i = 0; i < flows; i++) {
      const focused = await page.evaluate(() => {
        const active = document.activeElement;
        return {
          label: active?.getAttribute("aria-label") ?? "",
          outline: active === null ? "none" : getComputedStyle(active).outlineStyle,
          tooltip: document.querySelector(".network-tooltip")?.textContent ?? "",
          hidden: document.querySelector<HTMLElement>(".network-tooltip")?.hidden,
        };
      });
      expect(focused.outline).not.toBe("none");
      expect(focused.hidden).toBe(false);
      const [title] = focused.label.split(":");
      expect(focused.tooltip.startsWith(title ?? "?")).toBe(true);
      expect(focused.tooltip).toMatch(/freight [\d,]+ USD · duty [\d,]+ USD/);
      seenLabels.add(focused.label);
      await page.keyboard.press("ArrowDown");
    }
    expect(seenLabels.size).toBe(flows);
    expect([...seenLabels].some((label) => label.startsWith("Andijan kit line → Kostanay:"))).toBe(true);
    expect(trouble).toEqual({ console: [], failed: [] });
    await page.close();
  });

  it("shows the network's tables as the CLI prints them, for the period shown: across borders, between plants, shipping, deliveries, capacity for parts", async () => {
    const { page, trouble } = await open(JOINT);
    const expected = plan(joint, { explain: true });
    const borders = await tableRows(page, "#network-borders");
    const products = expected.flows?.borders.find((row) => row.goods === "products");
    expect(borders.get("UZ → KZ")).toBeDefined();
    const rows = await page.$$eval("#network-borders tbody tr", (trs) => trs.map((tr) => [...tr.children].map((cell) => cell.textContent.trim())));
    expect(rows).toContainEqual([
      "UZ → KZ",
      "products",
      formatUnits(products?.units ?? 0),
      formatMoney(products?.value ?? 0),
      formatMoney(products?.freight ?? 0),
      formatMoney(products?.duty ?? 0),
    ]);
    const between = await tableRows(page, "#network-between-plants");
    const kit = expected.flows?.between_plants[0];
    expect(between.get("Andijan → Kostanay")).toEqual([
      "Painted body and interior kit",
      formatUnits(kit?.units ?? 0),
      formatMoney(kit?.value ?? 0),
      formatMoney(kit?.freight ?? 0),
      formatMoney(kit?.duty ?? 0),
    ]);
    const shipped = expected.sales.filter((row) => row.shipping !== undefined);
    expect(await page.locator("#network-shipping tbody tr").count()).toBe(shipped.length);
    expect(await page.textContent("#network-shipping tfoot")).toContain(formatMoney(shipped.reduce((sum, row) => sum + (row.duty ?? 0), 0)));
    expect(await page.locator("#parts-delivered tbody tr").count()).toBe(expected.procurement.length);
    expect(await texts(page, "#capacity thead th")).toContain("for parts");
    const capacity = await tableRows(page, "#capacity table");
    const stamping = expected.capacity.find((row) => row.resource === "stamping_hours");
    expect(capacity.get("Andijan · stamping hours")?.[1]).toBe(formatUnits(stamping?.used_for_parts ?? Number.NaN));
    expect(trouble).toEqual({ console: [], failed: [] });
    await page.close();
  });

  it("fits 390 px without horizontal scrolling: the picture within its box, every label inside it, a tapped flow's figures on screen", async () => {
    const { page, trouble } = await open(JOINT, 390);
    await page.waitForSelector("svg.network");
    const widths = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
    expect(widths.scroll).toBeLessThanOrEqual(widths.client);
    const outside = await page.$$eval("svg.network text", (items) => {
      const box = document.querySelector("svg.network")?.getBoundingClientRect();
      return items.flatMap((item) => {
        const rect = item.getBoundingClientRect();
        return box !== undefined && (rect.left < box.left - 0.5 || rect.right > box.right + 0.5) ? [item.textContent] : [];
      });
    });
    expect(outside).toEqual([]);
    const point = await pointOnPath(page, KIT_FLOW);
    await page.mouse.click(point.x, point.y);
    const tooltip = await page.$eval(".network-tooltip", (element) => {
      const rect = element.getBoundingClientRect();
      return { hidden: (element as HTMLElement).hidden, left: rect.left, right: rect.right, text: element.textContent };
    });
    expect(tooltip.hidden).toBe(false);
    expect(tooltip.left).toBeGreaterThanOrEqual(0);
    expect(tooltip.right).toBeLessThanOrEqual(390);
    expect(tooltip.text).toContain("Andijan kit line → Kostanay");
    expect(trouble).toEqual({ console: [], failed: [] });
    await page.close();
  });

  it("a duty lever re-plans the changed scenario as plan(applyChanges(…)) plans it; the link keeps it, back puts it back", async () => {
    const { page, trouble } = await open(JOINT);
    const before = await count(page);
    const lever = page.getByLabel("Andijan kit line → Kostanay (%)");
    expect(await lever.inputValue()).toBe("15");
    await lever.fill("0");
    await lever.press("Enter");
    await shown(page, before);
    expect(new URL(page.url()).search).toBe("?scenario=kz-uz-joint-2020&duty.delivery.andijan_kit_line=0");
    const kitDuty: Change = { on: "delivery", source: "andijan_kit_line", plant: "kostanay", field: "duty", set: 0 };
    const free = plan(applyChanges(joint, [kitDuty]));
    expect(await page.textContent("#figure-objective .value")).toBe(usd(free.objective));
    expect(free.objective).toBeGreaterThan(plan(joint).objective ?? Infinity);
    expect(await page.textContent("#levers-applied")).toContain("duty Andijan kit line → Kostanay at 0%");
    expect(await page.locator(KIT_FLOW).getAttribute("class")).toBe("flow free crossing");

    // The link carries it: a reload shows the lever moved and the same plan.
    await page.reload();
    let seen = await shown(page, 0);
    expect(await page.getByLabel("Andijan kit line → Kostanay (%)").inputValue()).toBe("0");
    expect(await page.getByLabel("Andijan kit line → Kostanay (%)").getAttribute("class")).toBe("moved");
    expect(await page.textContent("#figure-objective .value")).toBe(usd(free.objective));

    // A vehicle duty too: both changes go, as the library applies them.
    const cars = page.getByLabel("Andijan → Kazakhstan (%)");
    await cars.fill("5");
    await cars.press("Enter");
    seen = await shown(page, seen);
    expect(new URL(page.url()).search).toBe("?scenario=kz-uz-joint-2020&duty.delivery.andijan_kit_line=0&duty.shipping.andijan=0.05");
    const both = plan(applyChanges(joint, [kitDuty, { on: "shipping", plant: "andijan", market: "KZ", field: "duty", set: 0.05 }]));
    expect(await page.textContent("#figure-objective .value")).toBe(usd(both.objective));

    await page.goBack();
    await shown(page, seen);
    expect(await page.getByLabel("Andijan → Kazakhstan (%)").inputValue()).toBe("15");
    expect(await page.textContent("#figure-objective .value")).toBe(usd(free.objective));
    expect(trouble).toEqual({ console: [], failed: [] });
    await page.close();
  });

  it("sweeps the kit duty on a grid and the kit lane's capacity exactly, as the library's sweep() does", async () => {
    const duty = { on: "delivery", source: "andijan_kit_line", plant: "kostanay", field: "duty" } as const;
    const { page, trouble } = await open(`${JOINT}&view=sweep`);
    let seen = await count(page);
    await page.selectOption("#sweep-parameter", JSON.stringify(duty));
    expect(await page.inputValue("#sweep-mode")).toBe("grid");
    expect(await page.isDisabled("#sweep-mode option[value=exact]")).toBe(true);
    await page.fill("#sweep-from", "0");
    await page.fill("#sweep-to", "15");
    await page.fill("#sweep-steps", "4");
    await page.click("#sweep-run");
    seen = await shown(page, seen);
    const search = new URL(page.url()).searchParams;
    expect([search.get("sweep.on"), search.get("sweep.source"), search.get("sweep.plant"), search.get("sweep.field"), search.get("sweep.to")]).toEqual([
      "delivery",
      "andijan_kit_line",
      "kostanay",
      "duty",
      "0.15",
    ]);
    const grid = await sweep(joint, { parameter: duty, from: 0, to: 0.15, steps: 4, mode: "grid" });
    const rows = await page.$$eval("#sweep-result tbody tr", (trs) => trs.map((tr) => [...tr.children].map((cell) => cell.textContent.trim())));
    expect(rows.map((cells) => cells.slice(0, 4))).toEqual(
      grid.points.map((point) => [
        `${(point.value * 100).toFixed(1)}%`,
        point.status,
        formatMoney(point.objective ?? Number.NaN),
        formatSlope((point.slope ?? 0) / 100),
      ]),
    );

    const lane = { on: "delivery", part: "body_kit", source: "andijan_kit_line", plant: "kostanay", field: "capacity" } as const;
    await page.selectOption("#sweep-parameter", JSON.stringify(lane));
    expect(await page.inputValue("#sweep-mode")).toBe("exact");
    await page.fill("#sweep-from", "1500");
    await page.fill("#sweep-to", "2500");
    await page.click("#sweep-run");
    await shown(page, seen);
    const exact = await sweep(joint, { parameter: lane, from: 1500, to: 2500, mode: "exact" });
    const segments = exact.segments ?? [];
    expect(segments.length).toBeGreaterThan(1);
    const segmentRows = await page.$$eval("#sweep-result tbody tr", (trs) => trs.map((tr) => [...tr.children].map((cell) => cell.textContent.trim())));
    expect(segmentRows.map((cells) => cells.slice(1, 6))).toEqual(
      segments.map((segment) => [
        formatUnits(segment.from),
        formatUnits(segment.to),
        formatMoney(segment.objective_from),
        formatMoney(segment.objective_to),
        formatSlope(segment.slope),
      ]),
    );
    expect(trouble).toEqual({ console: [], failed: [] });
    await page.close();
  });

  it("a scenario without the network's fields shows no network: no picture, no network tables, no duty levers", async () => {
    const { page, trouble } = await open("/");
    expect(await page.locator("#network").count()).toBe(0);
    expect(await page.locator("svg.network").count()).toBe(0);
    expect(await page.locator("#parts-delivered").count()).toBe(0);
    expect(await texts(page, "#capacity thead th")).not.toContain("for parts");
    expect(await texts(page, "details.levers legend")).toEqual([
      "Targets: minimum",
      "Demand: scale of each market's maximum",
      "Capacity: scale of every resource at each plant",
    ]);
    expect(trouble).toEqual({ console: [], failed: [] });
    await page.close();
  });
});
