// The API's types are generated once, into the typed client (clients/typescript/src/schema.gen.ts,
// by `npm run api:generate`; CI's `npm run api:check` fails while it is out of date), and the
// web app takes them from there.
export type * from '../../../clients/typescript/src/schema.gen';
