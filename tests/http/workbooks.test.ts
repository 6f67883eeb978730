import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadBundledScenario, parseScenario, plan } from "../../src/index.js";
import { MIME_XLSX } from "../../src/workbook/mediaType.js";
import { scenarioWorkbook } from "../../src/workbook/writeScenario.js";
import { closeStartedApps, listenApp, readyApp, slowestHealthCheck } from "../support/http.js";
import { editWorkbook, sheetRows, withPart, writeZip } from "../support/workbooks.js";

/**
 * Workbooks over HTTP (docs/service.md#workbooks): a scenario posted as a
 * workbook with the rest of the request in the query string, answers as
 * workbooks for Accept, errors at their cells, bad workbooks refused within
 * the body limits while the service keeps answering.
 */
let app: FastifyInstance;
let workbook: Buffer;
const scenario = parseScenario(loadBundledScenario("kz-uz-2020"));

beforeAll(async () => {
  app = await readyApp();
  workbook = Buffer.from(await scenarioWorkbook(scenario));
});
afterAll(closeStartedApps);

const postWorkbook = (url: string, body: Buffer, accept = "application/json") =>
  app.inject({ method: "POST", url, headers: { "content-type": MIME_XLSX, accept }, payload: body });

const production = (bytes: Buffer) => {
  const [header = [], ...rows] = sheetRows(bytes, "Production");
  return rows.reduce((sum, row) => sum + Number(row[header.indexOf("units")]), 0);
};

describe("a scenario posted as a workbook", () => {
  it("POST /v1/plans with a workbook body plans it as the JSON scenario; options in the query string", async () => {
    const answer = await postWorkbook("/v1/plans", workbook);
    expect(answer.statusCode).toBe(200);
    expect(answer.json()).toMatchObject({ scenario: "kz-uz-2020", status: "optimal", objective: plan(scenario).objective });
    const whole = await postWorkbook(`/v1/plans?options=${encodeURIComponent('{"integer":true,"backend":"highs"}')}`, workbook);
    expect(whole.json()).toMatchObject({ solver: { backend: "highs", integer: true } });
  });

  it("Accept: the workbook type answers a plan workbook; production totals 7,000", async () => {
    const answer = await postWorkbook("/v1/plans", workbook, MIME_XLSX);
    expect(answer.statusCode).toBe(200);
    expect(answer.headers["content-type"]).toBe(MIME_XLSX);
    expect(answer.headers["content-disposition"]).toBe('attachment; filename="plan-kz-uz-2020.xlsx"');
    expect(production(answer.rawPayload)).toBeCloseTo(7_000, 6);
    const json = await app.inject({ method: "POST", url: "/v1/plans", headers: { accept: MIME_XLSX }, payload: { scenarioId: "kz-uz-2020" } });
    expect(json.headers["content-type"]).toBe(MIME_XLSX);
    expect(production(json.rawPayload)).toBeCloseTo(7_000, 6);
  });

  it("comparisons and sweeps as workbooks, the what-if in the query string", async () => {
    const variants = encodeURIComponent(JSON.stringify([{ name: "KZ −20%", changes: [{ on: "demand", market: "KZ", field: "max", scale: 0.8 }] }]));
    const comparison = await postWorkbook(`/v1/comparisons?variants=${variants}`, workbook, MIME_XLSX);
    expect(comparison.statusCode).toBe(200);
    expect(sheetRows(comparison.rawPayload, "KZ −20%").length).toBeGreaterThan(1);
    const sweep = encodeURIComponent(JSON.stringify({ parameter: { on: "target", id: "joint_goal", field: "min" }, values: [5000, 6000] }));
    const swept = await postWorkbook(`/v1/sweeps?sweep=${sweep}`, workbook, MIME_XLSX);
    expect(swept.statusCode).toBe(200);
    expect(
      sheetRows(swept.rawPayload, "Points")
        .slice(1)
        .map((row) => row[0]),
    ).toEqual([5000, 6000]);
  });

  it("a job takes a workbook too: POST /v1/jobs?kind=plan", async () => {
    const answer = await postWorkbook("/v1/jobs?kind=plan", workbook);
    expect(answer.statusCode).toBe(202);
    expect(answer.json()).toMatchObject({ kind: "plan", status: "queued" });
  });

  it("422: the unknown plant of a route at its sheet and cell, beside its path in the request", async () => {
    const edited = Buffer.from(
      await editWorkbook(workbook, (book) => {
        const routes = book.getWorksheet("Routes");
        if (routes !== undefined) routes.getCell("A7").value = "nowhere";
      }),
    );
    const answer = await postWorkbook("/v1/plans", edited);
    expect(answer.statusCode).toBe(422);
    expect(answer.headers["content-type"]).toMatch(/^application\/problem\+json/);
    expect(answer.json<{ errors: unknown[] }>().errors).toContainEqual({
      path: "scenario.routes[4].plant",
      cell: "Routes!A7",
      message: 'unknown plant "nowhere"',
    });
  });

  it("the query string may not name the scenario; the scenario is the body", async () => {
    const answer = await postWorkbook("/v1/plans?scenarioId=kz-uz-2020", workbook);
    expect(answer.statusCode).toBe(422);
    expect(answer.json<{ errors: unknown[] }>().errors).toEqual([{ path: "scenarioId", message: "not with a workbook body" }]);
  });
});

describe("conversions and bundled scenarios as workbooks", () => {
  it("POST /v1/conversions: a workbook to the scenario's JSON, and JSON to a workbook", async () => {
    const json = await postWorkbook("/v1/conversions", workbook);
    expect(json.statusCode).toBe(200);
    expect(json.json()).toEqual(JSON.parse(JSON.stringify(scenario)));
    const back = await app.inject({
      method: "POST",
      url: "/v1/conversions",
      headers: { accept: MIME_XLSX },
      payload: { scenario: loadBundledScenario("kz-uz-2020") },
    });
    expect(back.headers["content-type"]).toBe(MIME_XLSX);
    expect((await postWorkbook("/v1/conversions", back.rawPayload)).json()).toEqual(json.json());
    const invalid = await app.inject({ method: "POST", url: "/v1/conversions", payload: { scenario: { format: "jointplan/v1" } } });
    expect(invalid.statusCode).toBe(422);
    expect(invalid.json<{ errors: { path: string }[] }>().errors.map((error) => error.path)).toContain("scenario.plants");
  });

  it("GET /v1/scenarios/:id with Accept: the workbook type", async () => {
    const answer = await app.inject({ method: "GET", url: "/v1/scenarios/kz-uz-2020", headers: { accept: MIME_XLSX } });
    expect(answer.statusCode).toBe(200);
    expect(answer.headers["content-disposition"]).toBe('attachment; filename="kz-uz-2020.xlsx"');
    expect((await postWorkbook("/v1/conversions", answer.rawPayload)).json()).toEqual(JSON.parse(JSON.stringify(scenario)));
    expect((await app.inject({ method: "GET", url: "/v1/scenarios/kz-uz-2020" })).headers["content-type"]).toMatch(/^application\/json/);
  });
});

describe("bad workbooks: a clear 4xx within the body limits, and the service keeps answering", () => {
  it("not a zip 400, a zip that is no workbook 400, a zip bomb 413, a million rows 422, over the body limit 413", async () => {
    const expectRefused = async (body: Buffer, status: number, detail: RegExp) => {
      const answer = await postWorkbook("/v1/plans", body);
      expect(answer.statusCode).toBe(status);
      expect(answer.json<{ detail: string }>().detail).toMatch(detail);
    };
    await expectRefused(Buffer.from('{"scenarioId":"kz-uz-2020"}'), 400, /an \.xlsx file is a zip archive, and this file is not one/);
    await expectRefused(writeZip([{ name: "notes.txt", data: Buffer.from("hi") }]), 400, /a zip archive without the parts of one/);
    await expectRefused(await withPart(workbook, "xl/worksheets/sheet9.xml", Buffer.alloc(64 * 1024 * 1024)), 413, /expands to more than/);
    await expectRefused(
      await withPart(workbook, "xl/worksheets/sheet9.xml", Buffer.from(`<worksheet><sheetData>${"<row/>".repeat(1_000_000)}</sheetData></worksheet>`)),
      422,
      /more than 100000 rows/,
    );
    await expectRefused(Buffer.alloc(1024 * 1024 + 1, 0x50), 413, /exceeds this server's limit/);
  });

  it("/healthz answers throughout while zip bombs and million-row sheets are refused", async () => {
    const { base } = await listenApp({ poolSize: 1 });
    const bomb = await withPart(workbook, "xl/worksheets/sheet9.xml", Buffer.alloc(64 * 1024 * 1024));
    const rows = await withPart(
      workbook,
      "xl/worksheets/sheet9.xml",
      Buffer.from(`<worksheet><sheetData>${"<row/>".repeat(1_000_000)}</sheetData></worksheet>`),
    );
    const refusals = Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        fetch(`${base}/v1/plans`, { method: "POST", headers: { "content-type": MIME_XLSX }, body: i % 2 === 0 ? bomb : rows }).then(
          (response) => response.status,
        ),
      ),
    );
    const slowest = await slowestHealthCheck(base, refusals);
    expect(await refusals).toEqual(Array.from({ length: 12 }, (_, i) => (i % 2 === 0 ? 413 : 422)));
    expect(slowest).toBeLessThan(1_000);
  });
});
