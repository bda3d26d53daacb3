#!/usr/bin/env node
// Runs the compiled CLI. `npm install` builds it (the `prepare` script); after editing
// the sources run `npm run build`, or use `npm run outlay -- ...` which runs them directly.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const compiled = fileURLToPath(new URL('../dist/server/cli/main.js', import.meta.url));
if (!existsSync(compiled)) {
  process.stderr.write('outlay: the CLI is not built yet; run `npm run build` first\n');
  process.exit(1);
}
const { main } = await import(compiled);
process.exitCode = await main(process.argv.slice(2));
