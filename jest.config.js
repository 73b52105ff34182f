// Nest 12 packages ship as ES modules. Node runs them from our CommonJS build
// through require(esm); Jest 30's own require(esm) on Node 24 still needs the
// experimental --experimental-vm-modules flag in every process that runs tests
// (`npx jest` without it fails), so Jest compiles them to CommonJS with Babel
// (import.meta.url included).
const esmToCjs = [
  'babel-jest',
  {
    babelrc: false,
    configFile: false,
    sourceType: 'unambiguous',
    plugins: [
      ['babel-plugin-transform-import-meta', { module: 'ES6' }],
      '@babel/plugin-transform-dynamic-import',
      '@babel/plugin-transform-modules-commonjs',
    ],
  },
];

const shared = {
  moduleFileExtensions: ['ts', 'js', 'mjs', 'cjs', 'json'],
  rootDir: __dirname,
  moduleNameMapper: { '^src/(.*)$': '<rootDir>/src/$1' },
  transform: {
    // Type-checking is the build's and the linter's job; tests only transpile.
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }],
    '^.+\\.m?js$': esmToCjs,
  },
  transformIgnorePatterns: [],
  testEnvironment: 'node',
};

/** @type {import('jest').Config} */
module.exports = {
  // Jest reads testTimeout only here, at the top level, and it bounds hooks
  // (beforeAll creating the app) as well as tests; a project's own testTimeout
  // is ignored, so the 5 s default used to apply on a busy machine.
  testTimeout: 60_000,
  projects: [
    { ...shared, displayName: 'unit', testMatch: ['<rootDir>/src/**/*.spec.ts'] },
    {
      ...shared,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
      testPathIgnorePatterns: ['<rootDir>/test/redis/', '<rootDir>/test/browser/', '<rootDir>/test/faults/'],
      globalSetup: '<rootDir>/test/utils/build-once.js',
      setupFilesAfterEnv: ['<rootDir>/test/utils/close-all.ts'],
    },
    // Needs Debian's chromium (.ci/run installs it). Not part of `npm test`.
    {
      ...shared,
      displayName: 'browser',
      testMatch: ['<rootDir>/test/browser/**/*.e2e-spec.ts'],
      setupFilesAfterEnv: ['<rootDir>/test/utils/close-all.ts'],
    },
    // Needs a Redis server (TEST_REDIS_URL); .ci/run starts one. Not part of `npm test`.
    {
      ...shared,
      displayName: 'redis',
      testMatch: ['<rootDir>/test/redis/**/*.e2e-spec.ts'],
      globalSetup: '<rootDir>/test/utils/build-once.js',
      setupFilesAfterEnv: ['<rootDir>/test/utils/close-all.ts'],
    },
    // Starts, stops and kills PostgreSQL and Redis servers of its own (Debian's postgresql and
    // redis-server; .ci/run installs them). Not part of `npm test`.
    {
      ...shared,
      displayName: 'faults',
      testMatch: ['<rootDir>/test/faults/**/*.e2e-spec.ts'],
      setupFilesAfterEnv: ['<rootDir>/test/utils/close-all.ts'],
      globalSetup: '<rootDir>/test/utils/build-once.js',
    },
  ],
};
