#!/usr/bin/env bash
# The container image's build steps, kept here so that the Dockerfile and CI run the same
# commands; CI has no container engine, so it runs them into a temporary folder instead.
#
#   image-build.sh build DIR           DIR holds the sources: install every package (unless
#                                      DIR/node_modules exists), build the server
#                                      (dist/server) and the web app (dist/web)
#   image-build.sh runtime DIR TARGET  put what the running service needs into TARGET:
#                                      dist/, migrations/, bin/, package.json and the
#                                      production packages only (sharp's linux-x64 binaries
#                                      and the English OCR data come with them)
#   image-build.sh check TARGET        prove a runtime tree: every package the compiled code
#                                      imports resolves, sharp and the OCR reader start, the
#                                      CLI answers, and the server migrates an embedded
#                                      database, answers /health and /ready and stops on SIGTERM
#   image-build.sh ci [WORKDIR]        what CI runs: the project's files copied into WORKDIR
#                                      (a new temporary folder by default) with the
#                                      project's installed packages linked in (CI's own
#                                      `npm ci` just installed them from the same lock), then
#                                      build, runtime (a real production install) and check
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
project="$(dirname "$here")"

say() { printf 'image-build (%ss): %s\n' "$SECONDS" "$*" >&2; }
fail() { say "$*"; exit 1; }

npm_quiet=(--no-audit --no-fund --loglevel=error)

# Lifecycle scripts stay off: the root `prepare` would build the server before its sources
# are complete, and no production package needs its install script (sharp's binaries come
# as the @img/sharp-* packages; tesseract.js's only prints a message).
install_packages() {
  local omit=("$@")
  # npm 11 may write a lock without the other platforms' optional packages and then refuse it
  # in `npm ci` (see .ci/run); `npm install` installs the same locked versions.
  if ! npm ci --ignore-scripts "${omit[@]}" "${npm_quiet[@]}"; then
    say "npm ci refused the lock file; installing the locked versions with npm install"
    npm install --ignore-scripts --no-save "${omit[@]}" "${npm_quiet[@]}"
  fi
}

stage_build() {
  local dir="${1:?build needs the source folder}"
  cd "$dir"
  [ -f package-lock.json ] || fail "$dir has no package-lock.json"
  if [ -e node_modules ]; then
    say "using the packages already in $dir/node_modules"
  else
    install_packages
    say "packages installed"
  fi
  say "building the server and the web app"
  npm run --silent build
  [ -f dist/server/main.js ] || fail "the server build wrote no dist/server/main.js"
  [ -f dist/web/index.html ] || fail "the web build wrote no dist/web/index.html"
}

stage_runtime() {
  local dir="${1:?runtime needs the built folder}" target="${2:?runtime needs a target folder}"
  dir="$(cd "$dir" && pwd)"
  [ -f "$dir/dist/server/main.js" ] || fail "$dir is not built: run the build stage first"
  mkdir -p "$target"
  target="$(cd "$target" && pwd)"
  [ -z "$(ls -A "$target")" ] || fail "$target is not empty"
  cp "$dir/package.json" "$dir/package-lock.json" "$target/"
  cp -R "$dir/bin" "$dir/migrations" "$target/"
  mkdir -p "$target/dist"
  cp -R "$dir/dist/server" "$dir/dist/web" "$target/dist/"
  # Source maps stay: stack traces in the logs then name the TypeScript lines.
  (cd "$target" && install_packages --omit=dev)
  # npm's own leftovers are no part of the service.
  rm -rf "$target/node_modules/.cache"
  say "runtime tree in $target: $(du -sh "$target" | cut -f1)"
}

# Every bare import in the compiled server, resolved from the runtime tree: a package that
# is only a devDependency fails here instead of on the first request that loads it.
check_imports() {
  local target="$1"
  (cd "$target" && node --input-type=module -e '
    import { readdirSync, readFileSync } from "node:fs";
    import { builtinModules, createRequire } from "node:module";
    import path from "node:path";
    const files = (dir) => readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? files(path.join(dir, e.name)) : e.name.endsWith(".js") ? [path.join(dir, e.name)] : []);
    const specifiers = new Set();
    // Static imports and re-exports start a line in tsc'"'"'s output; dynamic ones may be anywhere.
    const patterns = [
      /^(?:import|export)\s[^;(=:]*?\bfrom\s*["\x27]([^"\x27]+)["\x27]/gm,
      /^import\s*["\x27]([^"\x27]+)["\x27]/gm,
      /\b(?:import|require)\(\s*["\x27]([^"\x27]+)["\x27]\s*\)/g,
    ];
    for (const file of files("dist/server")) {
      const code = readFileSync(file, "utf8");
      for (const pattern of patterns) {
        for (const [, specifier] of code.matchAll(pattern)) if (!/^[.\/]/.test(specifier)) specifiers.add(specifier);
      }
    }
    const builtins = new Set(builtinModules);
    // Resolved from the tree'"'"'s root, as the compiled files under it resolve them.
    const require = createRequire(path.resolve("dist/server/main.js"));
    const missing = [];
    for (const specifier of [...specifiers].sort()) {
      if (specifier.startsWith("node:") || builtins.has(specifier)) continue;
      try { import.meta.resolve(specifier); }
      catch { try { require.resolve(specifier); } catch { missing.push(specifier); } }
    }
    if (missing.length > 0) { console.error("not in the runtime tree: " + missing.join(", ")); process.exit(1); }
    console.error(`image-build: the ${specifiers.size} packages the compiled server imports resolve`);
  ')
}

# sharp with its native linux-x64 binaries, one OCR worker loading the English data and
# tesseract'"'"'s WebAssembly core, on a blank page made by sharp, and the PDF reader'"'"'s child
# process (dist/server/receipts/extract/pdf-read-child.js) reading a page of text.
check_native() {
  local target="$1"
  (cd "$target" && node --input-type=module -e '
    import sharp from "sharp";
    const { readPdf } = await import("./dist/server/receipts/extract/pdf.js");
    const line = "IMAGE CHECK TOTAL 12.50 THANK YOU";
    const content = `BT /F1 10 Tf 10 50 Td (${line}) Tj ET`;
    const pdf = Buffer.from(["%PDF-1.4", "1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj", "2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj",
      "3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 300 100] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >> endobj",
      `4 0 obj << /Length ${content.length} >> stream\n${content}\nendstream endobj`, "5 0 obj << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> endobj",
      "trailer << /Root 1 0 R >>", "%%EOF"].join("\n"), "latin1");
    const read = await readPdf(pdf);
    if (read.kind !== "text" || !read.lines.includes(line)) throw new Error("the PDF reader read " + JSON.stringify(read));
    console.error("image-build: the PDF reader'"'"'s child process reads a PDF");
    const { createReceiptOcr } = await import("./dist/server/receipts/extract/tesseract-ocr.js");
    const page = await sharp({ create: { width: 240, height: 80, channels: 3, background: "#ffffff" } }).png().toBuffer();
    const ocr = createReceiptOcr(1);
    try {
      const read = await ocr.recognize(page, { timeoutMs: 60_000 });
      if (typeof read.text !== "string") throw new Error("the OCR reader returned no text field");
    } finally {
      await ocr.close();
    }
    console.error(`image-build: sharp ${sharp.versions.sharp} (libvips ${sharp.versions.vips}) and the OCR reader work`);
  ')
}

# The server on an embedded database in a temporary folder: migrate with the CLI, start,
# wait for /health and /ready, then SIGTERM and expect a clean exit.
check_server() {
  local target="$1" data log pid url="" status
  data="$(mktemp -d)"
  log="$data/server.log"
  : >"$log"
  # Ports 0: the system picks free ones, so a check never collides with a running Outlay.
  local env=(env -u DATABASE_URL -u NODE_ENV OUTLAY_DATA_DIR="$data/outlay" OUTLAY_DEMO=0
    HOST=127.0.0.1 PORT=0 OUTLAY_SMTP=0 OUTLAY_ISO8583=0 OUTLAY_RECEIPT_READERS=0 LOG_LEVEL=warn)
  (cd "$target" && "${env[@]}" node bin/outlay.js migrate) >&2
  (cd "$target" && exec "${env[@]}" node dist/server/main.js) >"$log" 2>&1 &
  pid=$!
  # However this script ends (a failed step, Ctrl-C, a closed pipe), the server goes too.
  trap "kill -TERM $pid 2>/dev/null || true" EXIT
  trap 'exit 1' INT TERM HUP PIPE
  for _ in $(seq 1 120); do
    url="$(sed -n 's/^Outlay is running at \(http[^ ]*\).*/\1/p' "$log" | head -n 1)"
    [ -n "$url" ] && break
    kill -0 "$pid" 2>/dev/null || { cat "$log" >&2; fail "the server exited before listening"; }
    sleep 0.5
  done
  if [ -z "$url" ]; then kill "$pid"; cat "$log" >&2; fail "the server did not start within 60 s"; fi
  local probe='fetch(process.argv[1]).then(async (r) => { console.error(process.argv[1] + " " + r.status + " " + (await r.text())); process.exit(r.ok ? 0 : 1); }, (e) => { console.error(e.message); process.exit(1); })'
  status=0
  node -e "$probe" "$url/health" || status=1
  node -e "$probe" "$url/ready" || status=1
  kill -TERM "$pid"
  wait "$pid" || { cat "$log" >&2; fail "the server did not exit cleanly on SIGTERM"; }
  trap - EXIT INT TERM HUP PIPE
  [ "$status" -eq 0 ] || { cat "$log" >&2; fail "/health or /ready did not answer 200"; }
  rm -rf "$data"
  say "the server migrated, answered /health and /ready, and stopped on SIGTERM"
}

stage_check() {
  local target="${1:?check needs the runtime folder}"
  target="$(cd "$target" && pwd)"
  for needed in dist/server/main.js dist/web/index.html bin/outlay.js migrations \
    node_modules/@tesseract.js-data/eng node_modules/@tesseract.js-data/dan node_modules/@tesseract.js-data/swe node_modules/@tesseract.js-data/deu node_modules/@img/sharp-linux-x64 node_modules/@img/sharp-libvips-linux-x64; do
    [ -e "$target/$needed" ] || fail "the runtime tree has no $needed"
  done
  for dev in typescript vite vitest eslint; do
    [ ! -e "$target/node_modules/$dev" ] || fail "the runtime tree holds the development package $dev"
  done
  check_imports "$target"
  (cd "$target" && node bin/outlay.js --help >/dev/null) || fail "node bin/outlay.js --help failed"
  check_native "$target"
  check_server "$target"
}

# The files a container build would be given: tracked and new files, as git sees them.
copy_sources() {
  local to="$1"
  mkdir -p "$to"
  # A file deleted but not yet committed is still listed: only existing ones are copied.
  (cd "$project" && git ls-files -z --cached --others --exclude-standard |
    while IFS= read -r -d '' file; do if [ -e "$file" ]; then printf '%s\0' "$file"; fi; done |
    xargs -0 cp --parents -t "$to")
  [ -f "$to/package.json" ] || fail "copying the sources to $to failed"
}

stage_ci() {
  local work="${1:-}" own=0
  if [ -z "$work" ]; then work="$(mktemp -d)"; own=1; fi
  copy_sources "$work/src"
  # A second full install would only repeat CI's `npm ci` of the same lock, and writing and
  # then deleting its ~600 packages costs minutes on a busy disk.
  if [ -d "$project/node_modules" ]; then ln -s "$project/node_modules" "$work/src/node_modules"; fi
  stage_build "$work/src"
  stage_runtime "$work/src" "$work/app"
  stage_check "$work/app"
  if [ "$own" -eq 1 ]; then rm -rf "$work"; fi
}

stage="${1:-}"
shift || true
case "$stage" in
  build) stage_build "$@" ;;
  runtime) stage_runtime "$@" ;;
  check) stage_check "$@" ;;
  ci) stage_ci "$@" ;;
  *) fail "usage: image-build.sh build DIR | runtime DIR TARGET | check TARGET | ci [WORKDIR]" ;;
esac
