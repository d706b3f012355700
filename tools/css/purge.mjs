// Builds static/vendor/bootstrap/bootstrap.purged.min.css from bootstrap.min.css: only the
// rules whose selectors name classes, ids, tags or attributes found in the files that make
// the pages (templates, the Python that writes HTML, the static JS, and crispy-forms'
// bootstrap5 templates, whose folder is the first argument). Run by `make css`.
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { PurgeCSS } from "purgecss";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const crispy = process.argv[2];
if (!crispy) {
  console.error("usage: node purge.mjs <crispy_bootstrap5 templates folder>");
  process.exit(2);
}
const vendor = path.join(root, "static/vendor/bootstrap");
const apps = ["demo", "devices", "helpdesk", "notifications", "schools", "surveys", "tickets"];

const [result] = await new PurgeCSS().purge({
  css: [path.join(vendor, "bootstrap.min.css")],
  content: [
    path.join(root, "templates/**/*.html"),
    path.join(crispy, "**/*.html"),
    path.join(root, "static/js/**/*.js"),
    ...apps.map((app) => path.join(root, app, "**/*.py")),
  ],
  // Classes the pages build at run time from a word they never spell out whole.
  safelist: {
    standard: [
      // base.html: alert-{{ message.tags }} (messages.debug/info/success/warning/error->danger)
      /^alert-(debug|info|success|warning|danger)$/,
      // devices/_visit_maintenance.html: text-bg-{% if ... %}success{% else %}secondary
      /^text-bg-/,
      // The navbar toggle (static/js/app.js) adds and removes these.
      "show",
      "collapsing",
    ],
  },
  keyframes: true,
  fontFace: true,
  // Custom properties stay: Bootstrap's rules read them through var() chains.
  variables: false,
});

const license = (await readFile(path.join(vendor, "bootstrap.min.css"), "utf8")).match(/\/\*![\s\S]*?\*\//)[0];
const css = result.css.includes("/*!") ? result.css : `${license}\n${result.css}`;
await writeFile(path.join(vendor, "bootstrap.purged.min.css"), css.endsWith("\n") ? css : `${css}\n`);
console.log(`bootstrap.purged.min.css: ${css.length} bytes (from ${result.file ?? "bootstrap.min.css"})`);
