// Starts Outlay: database, migrations, demo data on an empty database, HTTP, background work.
import type { FastifyInstance } from 'fastify';
import { countCompanies } from '../companies/companies.service.js';
import type { Config } from '../config/config.js';
import { openDatabase, type Database } from '../db/database.js';
import { migrate } from '../db/migrate.js';
import { demoLogins, seedDemo } from '../demo/seed.js';
import { buildApp } from '../http/app.js';
import { expireCardHolds } from '../cards/network-events.service.js';

export interface RunningServer {
  app: FastifyInstance;
  database: Database;
  url: string;
  close(): Promise<void>;
}

/** How often card holds past their expiry are released. */
export const expirySweepIntervalMs = 60_000;

export async function startServer(config: Config, options: { database?: Database } = {}): Promise<RunningServer> {
  const database = options.database ?? (await openDatabase(config.database));
  let app: FastifyInstance | undefined;
  try {
    await migrate(database.db);
    const seeded = config.demo && (await countCompanies(database.db)) === 0 ? await seedDemo(database.db, config.encryptionKey) : null;
    app = await buildApp(config, database);
    await app.listen({ host: config.host, port: config.port });
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    // On an ephemeral port (tests, benchmarks) the bound address is the public one, so links
    // such as invitations point at this very server.
    if (config.port === 0) config.publicUrl = `http://127.0.0.1:${port}`;
    const url = config.publicUrl;
    if (seeded) {
      app.log.info({ company: seeded.name, logins: demoLogins.map(({ email, role }) => ({ email, role })) }, 'demo company created');
    }

    const sweeper = setInterval(() => {
      expireCardHolds(database.db).catch((error: unknown) => app?.log.error({ err: error }, 'expiry sweep failed'));
    }, expirySweepIntervalMs);
    sweeper.unref();

    const running = app;
    return {
      app: running,
      database,
      url,
      async close() {
        clearInterval(sweeper);
        await running.close();
        await database.close();
      },
    };
  } catch (error) {
    await app?.close();
    await database.close();
    throw error;
  }
}
