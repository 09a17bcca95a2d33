// renovate.json against this repository, offline: every custom manager's file pattern finds a tracked file and
// its regex finds the pinned version there, the Kubernetes and Argo CD managers' patterns find files, and every
// package rule names something. Renovate itself is not installed (hundreds of MB); this catches the failure that
// matters in practice: a file reformatted so that Renovate silently stops updating it.
// Usage: node check-renovate.mjs [REPO_ROOT]   Exit status 1 with one line per problem.
import { readFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { join } from "node:path";

const root = process.argv[2] ?? process.cwd();
// Managers whose file does not carry the pin yet, with the reason. Keep empty; an entry is a known gap.
const PENDING = {};
const problems = [];
const config = JSON.parse(readFileSync(join(root, "renovate.json"), "utf8"));
const files = execFileSync("git", ["ls-files"], { cwd: root, encoding: "utf8" }).split("\n").filter(Boolean);

const patternToRegExp = (pattern) => {
  if (!/^\/.+\/$/.test(pattern)) {
    problems.push(`managerFilePatterns entry ${pattern} is not a /regex/`);
    return /$^/;
  }
  return new RegExp(pattern.slice(1, -1));
};
const filesFor = (patterns) => files.filter((f) => patterns.some((p) => patternToRegExp(p).test(f)));

for (const manager of ["kubernetes", "argocd"]) {
  const matched = filesFor(config[manager]?.managerFilePatterns ?? []);
  if (matched.length === 0) problems.push(`${manager}: managerFilePatterns match no tracked file`);
  else console.log(`${manager}: ${matched.length} files`);
}

for (const m of config.customManagers ?? []) {
  const name = m.description ?? JSON.stringify(m.matchStrings);
  if (m.customType !== "regex") problems.push(`${name}: customType must be regex`);
  if (!m.datasourceTemplate) problems.push(`${name}: no datasourceTemplate`);
  if (m.datasourceTemplate?.startsWith("custom.") && !config.customDatasources?.[m.datasourceTemplate.slice(7)]) {
    problems.push(`${name}: datasource ${m.datasourceTemplate} is not defined in customDatasources`);
  }
  const matched = filesFor(m.managerFilePatterns ?? []);
  const found = [];
  for (const file of matched) {
    const text = readFileSync(join(root, file), "utf8");
    for (const source of m.matchStrings) {
      for (const match of text.matchAll(new RegExp(source, "g"))) {
        const g = match.groups ?? {};
        if (!g.currentValue) problems.push(`${name}: a match in ${file} has no currentValue`);
        found.push(`${g.depName ?? m.depNameTemplate} ${g.currentValue}${g.currentDigest ? "@" + g.currentDigest.slice(0, 19) + "…" : ""} (${file})`);
      }
    }
  }
  if (found.length > 0) {
    console.log(`${name}: ${found.join(", ")}`);
  } else if (PENDING[name]) {
    console.log(`${name}: PENDING, ${PENDING[name]}`);
  } else {
    problems.push(`${name}: finds no version in ${matched.length ? matched.join(" ") : "any tracked file"}`);
  }
}

for (const rule of config.packageRules ?? []) {
  if (!rule.description) problems.push(`a package rule without a description: ${JSON.stringify(rule)}`);
  if (!rule.matchPackageNames && !rule.matchManagers) problems.push(`package rule "${rule.description}" matches nothing`);
}

for (const p of problems) console.error(`renovate.json: ${p}`);
console.log(`renovate.json: ${problems.length === 0 ? "ok" : problems.length + " problem(s)"}`);
process.exit(problems.length === 0 ? 0 : 1);
