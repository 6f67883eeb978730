import type { Column, Network, NetworkFlow, NetworkNode } from "./network.js";

/**
 * Where the network picture puts everything, for a given width (pure; drawn
 * by networkView.ts). Three columns, left to right — sources, plants,
 * markets — and, top to bottom, one band per country with the border drawn
 * between bands: a plant or market sits in its country's band, an in-house
 * line in its plant's, a supplier with no country in the band of the plant it
 * delivers most to (it is drawn as having no country). A flow is as wide as
 * the units it carries, parts and products each on a scale of their own (a
 * plant takes in many parts a vehicle), so that both stages read at any size.
 */

export interface PlacedNode {
  readonly node: NetworkNode;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  /** The label's lines, where the first line's baseline is, and on which side of the bar. */
  readonly label: { readonly lines: readonly string[]; readonly x: number; readonly y: number; readonly anchor: "start" | "end" };
}

export interface PlacedFlow {
  readonly flow: NetworkFlow;
  /** An SVG path from the source's right edge to the target's left edge; drawn with `width` as its stroke. */
  readonly path: string;
  readonly width: number;
  /** The middle of the curve (where a tooltip points). */
  readonly middle: { readonly x: number; readonly y: number };
}

export interface Band {
  /** The country; null for plants and markets whose scenario names none. */
  readonly country: string | null;
  readonly y0: number;
  readonly y1: number;
}

/** A line between two bands: the border between two countries, or the edge of the band of nodes without a country. */
export interface Divide {
  readonly y: number;
  readonly x0: number;
  readonly x1: number;
  readonly above: string | null;
  readonly below: string | null;
  readonly border: boolean;
}

export interface NetworkLayout {
  readonly width: number;
  readonly height: number;
  /** The text size, in px. */
  readonly fontPx: number;
  readonly lineHeight: number;
  readonly columns: readonly { readonly column: Column; readonly x: number; readonly heading: string; readonly anchor: "start" | "middle" | "end" }[];
  readonly bands: readonly Band[];
  readonly divides: readonly Divide[];
  readonly nodes: readonly PlacedNode[];
  readonly flows: readonly PlacedFlow[];
  /** Pixels of flow width per unit: of parts (sources → plants) and of products (plants → markets). */
  readonly scale: { readonly parts: number; readonly products: number };
}

/** Below this width (a phone) the picture's text is a point smaller. */
const NARROW_PX = 480;
/** Average width of a character of the picture's font, per px of font size (a little over the charts' reckoning, so that labels never run off). */
const CHAR_EM = 0.6;
const BAR_PX = 8;
const NODE_GAP = 10;
/** Between two bands: room for the border and the countries' names on either side of it. */
const BAND_GAP = 40;
const HEADING_PX = 26;
/** The thinnest a flow is drawn, so that a small one still shows (its width then overstates it). */
const MIN_FLOW_PX = 1;

const headings: Readonly<Record<Column, string>> = { source: "Sources", plant: "Plants", market: "Markets" };

export function layoutNetwork(network: Network, width: number): NetworkLayout {
  const fontPx = width < NARROW_PX ? 11 : 12;
  const charPx = fontPx * CHAR_EM;
  const linePx = fontPx + 2;
  const present = (column: Column) => network.nodes.some((node) => node.column === column);
  const columns = (["source", "plant", "market"] as const).filter(present);

  // Labels: the sources' on the left of their bars, the plants' and markets' on the right.
  const labelRoom = (column: Column, share: number) => {
    const longest = Math.max(0, ...network.nodes.filter((node) => node.column === column).map((node) => node.label.length)) * charPx;
    return Math.min(Math.floor(width * share), Math.ceil(longest) + 6);
  };
  const left = present("source") ? labelRoom("source", 0.3) : 0;
  const right = present("market") ? labelRoom("market", 0.24) : 0;
  const first = left;
  const last = width - right - BAR_PX;
  const columnX = new Map<Column, number>();
  columns.forEach((column, c) => columnX.set(column, columns.length === 1 ? first : first + ((last - first) * c) / (columns.length - 1)));
  // The plants' labels sit right of their bars, over the flows to the markets: room for them before the next column.
  const plantX = columnX.get("plant");
  if (plantX !== undefined && columns.length > 1) {
    const next = present("market") ? last : width;
    columnX.set("plant", Math.max(first + (next - first) * 0.35, Math.min(plantX, next - labelRoom("plant", 0.3) - BAR_PX - 14)));
  }

  // Flow widths: the plant that takes in most parts, and the one that sends out most products, each as tall as a fair share of the width.
  const stagePx = Math.max(90, Math.min(180, width * 0.4));
  const perPlant = (goods: NetworkFlow["goods"], end: "from" | "to") => {
    const totals = new Map<string, number>();
    for (const flow of network.flows) if (flow.goods === goods) totals.set(flow[end], (totals.get(flow[end]) ?? 0) + flow.units);
    return Math.max(0, ...totals.values());
  };
  const partsMost = perPlant("parts", "to");
  const productsMost = perPlant("products", "from");
  const scale = { parts: partsMost > 0 ? stagePx / partsMost : 0, products: productsMost > 0 ? stagePx / productsMost : 0 };
  const flowWidth = (flow: NetworkFlow) => Math.max(MIN_FLOW_PX, flow.units * scale[flow.goods]);

  const into = (key: string) => network.flows.filter((flow) => flow.to === key);
  const outOf = (key: string) => network.flows.filter((flow) => flow.from === key);
  const stack = (flows: readonly NetworkFlow[]) => flows.reduce((sum, flow) => sum + flowWidth(flow), 0);
  const barHeight = (node: NetworkNode) => Math.max(4, stack(into(node.key)), stack(outOf(node.key)));

  const labelChars = (column: Column) => {
    const room = column === "source" ? left - 6 : column === "market" ? right - 6 : Math.max(60, width * 0.2);
    return Math.max(4, Math.floor(room / charPx));
  };
  const labels = new Map(network.nodes.map((node) => [node.key, wrap(node.label, labelChars(node.column), node.column === "plant" ? 1 : 2)]));
  const slotHeight = (node: NetworkNode) => Math.max(barHeight(node), (labels.get(node.key)?.length ?? 1) * linePx);

  const { bandOf, bands: bandKeys } = countryBands(network);
  const plantOrder = new Map(network.nodes.filter((node) => node.column === "plant").map((node, index) => [node.key, index]));

  // Order within a column and band: plants and markets as the scenario lists them; sources by the mean position of the plants they deliver to.
  const barycentre = (node: NetworkNode) => {
    const flows = outOf(node.key);
    const units = flows.reduce((sum, flow) => sum + flow.units, 0);
    return units === 0 ? 0 : flows.reduce((sum, flow) => sum + flow.units * (plantOrder.get(flow.to) ?? 0), 0) / units;
  };
  const ordered = (column: Column, band: string | null) => {
    const members = network.nodes.filter((node) => node.column === column && bandOf.get(node.key) === band);
    return column === "source"
      ? members
          .map((node, index) => ({ node, index, at: barycentre(node) }))
          .sort((a, b) => a.at - b.at || a.index - b.index)
          .map(({ node }) => node)
      : members;
  };

  const placed = new Map<string, { x: number; y: number; height: number }>();
  const bands: Band[] = [];
  let top = HEADING_PX;
  for (const band of bandKeys) {
    const stacks = columns.map((column) => {
      const members = ordered(column, band);
      const height = members.reduce((sum, node) => sum + slotHeight(node), 0) + NODE_GAP * Math.max(0, members.length - 1);
      return { column, members, height };
    });
    const bandHeight = Math.max(linePx, ...stacks.map((entry) => entry.height));
    for (const { column, members, height } of stacks) {
      let y = top + (bandHeight - height) / 2;
      for (const node of members) {
        const slot = slotHeight(node);
        const bar = barHeight(node);
        placed.set(node.key, { x: columnX.get(column) ?? 0, y: y + (slot - bar) / 2, height: bar });
        y += slot + NODE_GAP;
      }
    }
    bands.push({ country: band, y0: top, y1: top + bandHeight });
    top += bandHeight + BAND_GAP;
  }
  const height = Math.ceil(top - BAND_GAP + 8);

  const divides: Divide[] = bands.slice(1).map((band, b) => {
    const above = bands[b];
    return {
      y: Math.round(((above?.y1 ?? band.y0) + band.y0) / 2) + 0.5,
      x0: 0,
      x1: width,
      above: above?.country ?? null,
      below: band.country,
      border: above?.country !== null && above?.country !== undefined && band.country !== null,
    };
  });

  const flows = placeFlows(network, placed, flowWidth);

  const nodes: PlacedNode[] = network.nodes.flatMap((node) => {
    const at = placed.get(node.key);
    if (at === undefined) return [];
    const lines = labels.get(node.key) ?? [node.label];
    const onLeft = node.column === "source";
    const firstBaseline = at.y + at.height / 2 - ((lines.length - 1) * linePx) / 2 + fontPx * 0.35;
    return [
      {
        node,
        x: r(at.x),
        y: r(at.y),
        width: BAR_PX,
        height: r(at.height),
        label: { lines, x: r(onLeft ? at.x - 5 : at.x + BAR_PX + 5), y: r(firstBaseline), anchor: onLeft ? ("end" as const) : ("start" as const) },
      },
    ];
  });

  return {
    width,
    height,
    fontPx,
    lineHeight: linePx,
    columns: columns.map((column) => {
      const x = columnX.get(column) ?? 0;
      return column === "source"
        ? { column, x: r(x + BAR_PX), heading: headings[column], anchor: "end" as const }
        : { column, x: r(x), heading: headings[column], anchor: "start" as const };
    }),
    bands,
    divides,
    nodes,
    flows,
    scale,
  };
}

/**
 * The band of each node, and the bands top to bottom: the countries in the
 * network's order, then the band of plants and markets without one. A
 * supplier (no country) goes in the band of the plant it delivers most to.
 */
function countryBands(network: Network): { bandOf: Map<string, string | null>; bands: (string | null)[] } {
  const country = new Map(network.nodes.map((node) => [node.key, node.country]));
  const bandOf = new Map<string, string | null>();
  for (const node of network.nodes) {
    if (node.column !== "source" || node.madeAt !== null) {
      bandOf.set(node.key, node.country);
      continue;
    }
    const main = network.flows.filter((flow) => flow.from === node.key).sort((a, b) => b.units - a.units)[0];
    bandOf.set(node.key, main === undefined ? null : (country.get(main.to) ?? null));
  }
  const used = new Set(bandOf.values());
  return { bandOf, bands: [...network.countries.filter((name) => used.has(name)), ...(used.has(null) ? [null] : [])] };
}

/**
 * Each flow as a curve from its slice of the source's bar to its slice of the
 * target's: a bar's outgoing flows stacked in the order of where they go, its
 * incoming ones in the order of where they come from, so that few cross.
 */
function placeFlows(
  network: Network,
  placed: ReadonlyMap<string, { readonly x: number; readonly y: number; readonly height: number }>,
  flowWidth: (flow: NetworkFlow) => number,
): PlacedFlow[] {
  const centre = (key: string) => {
    const at = placed.get(key);
    return at === undefined ? 0 : at.y + at.height / 2;
  };
  const sliceStart = new Map<string, number>();
  const slices = (key: string, end: "from" | "to") => {
    const at = placed.get(key);
    if (at === undefined) return;
    const flows = network.flows.filter((flow) => flow[end] === key);
    const other = end === "from" ? "to" : "from";
    let y = at.y + (at.height - flows.reduce((sum, flow) => sum + flowWidth(flow), 0)) / 2;
    for (const flow of [...flows].sort((a, b) => centre(a[other]) - centre(b[other]))) {
      sliceStart.set(JSON.stringify([flow.key, end]), y);
      y += flowWidth(flow);
    }
  };
  for (const node of network.nodes) {
    slices(node.key, "from");
    slices(node.key, "to");
  }
  return network.flows.flatMap((flow) => {
    const from = placed.get(flow.from);
    const to = placed.get(flow.to);
    if (from === undefined || to === undefined) return [];
    const width = flowWidth(flow);
    const x0 = from.x + BAR_PX;
    const x1 = to.x;
    const y0 = (sliceStart.get(JSON.stringify([flow.key, "from"])) ?? from.y) + width / 2;
    const y1 = (sliceStart.get(JSON.stringify([flow.key, "to"])) ?? to.y) + width / 2;
    const xm = (x0 + x1) / 2;
    return [{ flow, width, path: `M${r(x0)},${r(y0)}C${r(xm)},${r(y0)} ${r(xm)},${r(y1)} ${r(x1)},${r(y1)}`, middle: { x: r(xm), y: r((y0 + y1) / 2) } }];
  });
}

/** A label in at most `maxLines` lines of at most `chars` characters, broken at spaces; what does not fit ends in "…". */
export function wrap(label: string, chars: number, maxLines: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of label.split(/\s+/).filter((part) => part !== "")) {
    const joined = line === "" ? word : `${line} ${word}`;
    if (joined.length <= chars || line === "") line = joined;
    else {
      lines.push(line);
      line = word;
    }
  }
  if (line !== "") lines.push(line);
  const kept = lines.slice(0, maxLines).map((text) => (text.length > chars ? `${text.slice(0, Math.max(1, chars - 1))}…` : text));
  if (lines.length > maxLines) {
    const end = kept[maxLines - 1] ?? "";
    kept[maxLines - 1] = `${end.length >= chars ? end.slice(0, Math.max(1, chars - 1)) : end}…`;
  }
  return kept;
}

function r(value: number): number {
  return Math.round(value * 10) / 10;
}
