// Runs the CLI from the TypeScript sources (`npm run outlay -- ...`), no build needed.
import { main } from './main.js';

process.exitCode = await main(process.argv.slice(2));
