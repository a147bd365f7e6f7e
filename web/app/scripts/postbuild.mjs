// After `vite build`: writes a `.gz` sibling for every compressible file of dist/ (the server
// sends it to clients that accept gzip), prints the sizes, and fails when the initial
// JavaScript (the scripts index.html loads or preloads) is over the budget, gzipped.
// `--check-only`: measure and check an existing dist/ without writing anything.

import { readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { join, relative, extname } from "node:path";
import { gzipSync, constants } from "node:zlib";
import { fileURLToPath } from "node:url";

const BUDGET_KB = 150;
const COMPRESSIBLE = new Set([".js", ".mjs", ".css", ".html", ".svg", ".json", ".txt", ".map", ".webmanifest", ".xml", ".ico"]);
const dist = fileURLToPath(new URL("../dist/", import.meta.url));
const checkOnly = process.argv.includes("--check-only");

function* files(dir) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yield* files(p);
    else yield p;
  }
}

const gz = (buf) => gzipSync(buf, { level: constants.Z_BEST_COMPRESSION });
const kb = (n) => (n / 1024).toFixed(1) + " KB";

const rows = [];
for (const path of files(dist)) {
  if (path.endsWith(".gz") || !COMPRESSIBLE.has(extname(path))) continue;
  const raw = readFileSync(path);
  const zipped = gz(raw);
  if (!checkOnly) writeFileSync(path + ".gz", zipped);
  rows.push({ file: relative(dist, path), raw: raw.length, gzip: zipped.length });
}

// The initial JavaScript: the module scripts and modulepreloads of index.html.
const html = readFileSync(join(dist, "index.html"), "utf8");
const initial = [...html.matchAll(/<(?:script[^>]*\ssrc|link[^>]*rel="modulepreload"[^>]*\shref)="\/?([^"]+\.js)"/g)].map((m) => m[1]);
let initialGzip = 0;
for (const f of new Set(initial)) initialGzip += gz(readFileSync(join(dist, f))).length;

for (const r of rows.sort((a, b) => a.file.localeCompare(b.file))) {
  console.log(`  ${r.file.padEnd(40)} ${kb(r.raw).padStart(10)}  gzip ${kb(r.gzip).padStart(9)}`);
}
console.log(`initial JavaScript (${initial.length} file${initial.length === 1 ? "" : "s"}): ${kb(initialGzip)} gzipped (budget ${BUDGET_KB} KB)`);
if (initial.length === 0) {
  console.error("postbuild: index.html loads no script?");
  process.exit(1);
}
if (initialGzip > BUDGET_KB * 1024) {
  console.error(`postbuild: initial JavaScript is over the ${BUDGET_KB} KB budget`);
  process.exit(1);
}
