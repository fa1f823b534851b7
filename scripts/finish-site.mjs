// The last steps of the site's build (scripts/lib.sh build_site), as cargo-leptos takes them
// with hash-files and --precompress: names the bundle's script, wasm and stylesheet after
// their content (MD5, base64url), points the script at the renamed files, writes the hash
// file Leptos and the server read, and puts a brotli and a gzip copy beside every file.
// Usage: node finish-site.mjs SITE_DIR HASH_FILE...
import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { brotliCompress, constants, gzip } from "node:zlib";

const [site, ...hashFiles] = process.argv.slice(2);
if (!site || hashFiles.length === 0) {
  console.error("usage: node finish-site.mjs SITE_DIR HASH_FILE...");
  process.exit(2);
}
const pkg = join(site, "pkg");
const name = "qnej";
const kinds = ["js", "wasm", "css"];

const hashes = {};
for (const kind of kinds) {
  const file = join(pkg, `${name}.${kind}`);
  hashes[kind] = createHash("md5").update(readFileSync(file)).digest("base64url");
  renameSync(file, join(pkg, `${name}.${hashes[kind]}.${kind}`));
}
const script = join(pkg, `${name}.${hashes.js}.js`);
let text = readFileSync(script, "utf8");
for (const kind of kinds) {
  text = text.replaceAll(`${name}.${kind}`, `${name}.${hashes[kind]}.${kind}`);
}
writeFileSync(script, text);
const listing = kinds.map((kind) => `${kind}: ${hashes[kind]}\n`).join("");
for (const file of hashFiles) {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, listing);
}

// Brotli at its highest quality and gzip at its highest level, all files at once (zlib
// runs them on its thread pool).
const files = [];
const walk = (dir) => {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) walk(path);
    else if (!/\.(br|gz)$/.test(entry.name)) files.push(path);
  }
};
walk(site);
const br = promisify(brotliCompress);
const gz = promisify(gzip);
await Promise.all(
  files.map(async (file) => {
    const data = readFileSync(file);
    const params = {
      [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
      [constants.BROTLI_PARAM_SIZE_HINT]: data.length,
    };
    writeFileSync(`${file}.br`, await br(data, { params }));
    writeFileSync(`${file}.gz`, await gz(data, { level: 9 }));
  }),
);
console.log(`site: ${files.length} files, ${kinds.map((k) => `${k} ${hashes[k]}`).join(", ")}`);
