// The layers of Outlay and the rules that keep imports running one way. CI runs
// `npm run check:layers` (dependency-cruiser) on src/; README.md "Architecture" draws the map.
//
//   base      config, db, flags, jobs, money, observability, shared, storage: know no layer above
//             (flags: evaluating feature flags, which any feature may ask; changing them is a feature)
//   platform  http (plumbing) and auth (principal, permissions, tokens, passwords)
//   features  every other folder of src/: the business, each owning its tables
//   root      server, cli, demo, main.ts: the composition root that wires features together
//
// A layer imports only itself and the layers below it; features import each other only
// without a cycle between their folders, and never another module's repository; nothing but
// tests imports src/test-support.
const base = '^src/(config|db|flags|jobs|money|observability|shared|storage)/';
const platform = '^src/(http|auth)/';
const root = '^src/(server|cli|demo)/|^src/main\\.ts$';
const testSupport = '^src/test-support/';
const tests = '\\.test\\.ts$';

module.exports = {
  forbidden: [
    {
      name: 'base-imports-only-base',
      comment: 'base modules (config, db, flags, money, shared, storage, observability, jobs) know nothing above them',
      severity: 'error',
      from: { path: base, pathNot: tests },
      to: { path: '^src/', pathNot: base },
    },
    {
      name: 'platform-imports-base-and-platform',
      comment: 'http plumbing and auth know no feature: what they need from one comes in as a parameter',
      severity: 'error',
      from: { path: platform, pathNot: tests },
      to: { path: '^src/', pathNot: `${base}|${platform}` },
    },
    {
      name: 'features-never-import-the-root',
      comment: 'only the composition root (server, cli, demo) sees every feature at once',
      severity: 'error',
      from: { path: '^src/', pathNot: `${root}|${testSupport}|${tests}` },
      to: { path: root },
    },
    {
      name: 'test-support-only-in-tests',
      comment: 'src/test-support is for tests and benchmarks; shipped code never imports it',
      severity: 'error',
      from: { path: '^src/', pathNot: `${testSupport}|${tests}` },
      to: { path: testSupport },
    },
    {
      name: 'repositories-stay-in-their-module',
      comment: 'a module owns its tables: others call its service, never its repository',
      severity: 'error',
      from: { path: '^src/([^/]+)/', pathNot: tests },
      to: { path: '\\.repository\\.ts$', pathNot: '^src/$1/' },
    },
    {
      name: 'no-cycle-between-folders',
      comment: 'two folders of src/ never import each other, directly or round about',
      severity: 'error',
      scope: 'folder',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'no-cycle-between-modules',
      comment: 'no file imports itself round about',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
  ],
  options: {
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '\\.test\\.ts$' },
  },
};
