import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { describe, expect, it } from "vitest";

/**
 * The repository stands alone: the README is a front door that links into
 * docs/, every link in the documentation resolves to a file (and heading) of
 * the repository, and nothing cites a document outside it.
 */
const root = resolve(import.meta.dirname, "..", "..");
const read = (path: string) => readFileSync(join(root, path), "utf8");

const pages = ["README.md", "benchmarks/RESULTS.md", ...readdirSync(join(root, "docs")).flatMap((name) => (name.endsWith(".md") ? [`docs/${name}`] : []))];

/** Every file under these folders (recursively), as repository paths. */
function filesUnder(...folders: string[]): string[] {
  return folders.flatMap((folder) =>
    readdirSync(join(root, folder)).flatMap((name) => {
      const path = `${folder}/${name}`;
      return statSync(join(root, path)).isDirectory() ? filesUnder(path) : [path];
    }),
  );
}

/** Markdown link targets outside code blocks and code spans: `[text](target)`. */
function linkTargets(markdown: string): string[] {
  const prose = markdown.replace(/```[\s\S]*?```/g, "").replace(/`[^`\n]*`/g, "code");
  return [...prose.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)].flatMap((match) => (match[1] === undefined ? [] : [match[1]]));
}

/** The anchors GitHub gives a page's headings: lower case, punctuation dropped, spaces to hyphens, repeats numbered. */
function headingAnchors(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  const prose = markdown.replace(/```[\s\S]*?```/g, "");
  for (const [, heading = ""] of prose.matchAll(/^#{1,6} (.+)$/gm)) {
    const slug = heading
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, "")
      .replace(/\s/g, "-");
    const count = seen.get(slug) ?? 0;
    anchors.add(count === 0 ? slug : `${slug}-${count}`);
    seen.set(slug, count + 1);
  }
  return anchors;
}

/** Where a relative link from `page` leads, or why it is wrong. */
function checkLink(page: string, target: string): string | undefined {
  const [path = "", anchor] = target.split("#");
  const file = path === "" ? join(root, page) : resolve(dirname(join(root, page)), decodeURIComponent(path));
  const inside = relative(root, file);
  if (inside.startsWith("..") || inside.startsWith(sep)) return "points outside the repository";
  if (!existsSync(file)) return "no such file";
  if (anchor !== undefined && file.endsWith(".md") && !headingAnchors(readFileSync(file, "utf8")).has(anchor)) return `no heading #${anchor}`;
  return undefined;
}

describe("the documentation stands alone", () => {
  it("finds the docs pages the README's list links to", () => {
    expect(pages).toEqual(expect.arrayContaining(["docs/format.md", "docs/cli.md", "docs/library.md", "docs/service.md", "docs/explanations.md"]));
    expect(pages).toEqual(expect.arrayContaining(["docs/solvers.md", "docs/verification.md", "docs/export-lp.md", "docs/development.md"]));
    const readme = read("README.md");
    for (const page of pages.filter((path) => path.startsWith("docs/"))) expect(readme, `README links ${page}`).toContain(`](${page}`);
  });

  it("keeps the README a front door: at most 250 lines, with the quick start", () => {
    const readme = read("README.md");
    expect(readme.split("\n").length).toBeLessThanOrEqual(250);
    expect(readme).toMatch(/npm install[\s\S]*npm run plan[\s\S]*npm test/);
  });

  it("resolves every relative link of the README and docs/ to a file (and heading) in the repository", () => {
    const broken: string[] = [];
    let checked = 0;
    for (const page of pages) {
      for (const target of linkTargets(read(page))) {
        if (/^[a-z]+:/i.test(target)) {
          broken.push(`${page}: ${target} (only links inside the repository)`);
          continue;
        }
        checked++;
        const problem = checkLink(page, target);
        if (problem !== undefined) broken.push(`${page}: ${target} (${problem})`);
      }
    }
    expect(broken).toEqual([]);
    expect(checked).toBeGreaterThan(40);
  });

  it("cites nothing outside the repository: no contract file elsewhere, no link out of the folder tree", () => {
    // Spelled in pieces, so that this file does not cite what it forbids.
    const outside = new RegExp(["SP", "EC(?:\\.md| §)|\\.\\./", "shared"].join(""));
    const files = [...pages, "package.json", ...filesUnder("src", "tests", "benchmarks", "bin", "models", "docs")].filter(
      (path) => path !== "tests/project/docs-links.test.ts",
    );
    const citing = files.filter((path) => outside.test(read(path)));
    expect(citing).toEqual([]);
  });

  it("cites docs pages and numbered sections that exist", () => {
    const files = filesUnder("src", "tests", "benchmarks").filter((path) => path !== "tests/project/docs-links.test.ts");
    const missing: string[] = [];
    let citations = 0;
    for (const path of files) {
      for (const [citation, page = "", section] of read(path).matchAll(/docs\/([\w-]+\.md)(?: §(\d+(?:\.\d+)?))?/g)) {
        citations++;
        if (!existsSync(join(root, "docs", page))) missing.push(`${path}: ${citation}`);
        else if (section !== undefined && !new RegExp(`^#{2,3} ${section.replace(".", "\\.")}\\.? `, "m").test(read(`docs/${page}`))) {
          missing.push(`${path}: ${citation}`);
        }
      }
    }
    expect(missing).toEqual([]);
    expect(citations).toBeGreaterThan(30);
  });
});
