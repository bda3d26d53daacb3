// `npm start`: runs the server until SIGINT or SIGTERM.
import { main } from './cli/main.js';

process.exitCode = await main(['serve', ...process.argv.slice(2)]);
