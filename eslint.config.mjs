// @ts-check
import eslint from '@eslint/js';
import prettier from 'eslint-config-prettier';
import importX from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import tseslint from 'typescript-eslint';

/**
 * The folder graph of src/, lowest first: a folder may import only from itself
 * and the folders before it, so the graph is one-way and a cycle cannot form.
 * auth/ is two layers: its guards, decorators, roles, scopes and the authenticated-user
 * type, which every feature uses, sit low; its login, refresh and token flows,
 * which use users/ and sessions/, sit above them. Any folder not listed (a new
 * feature, e.g. from `nest g owned-resource`) is a top feature: it may import
 * every listed layer, and no other feature may import it. The root files
 * (main.ts, app.module.ts, setup-app.ts) and cli/ assemble everything.
 */
const src = join(import.meta.dirname, 'src');
const authCore = ['auth/guards/**', 'auth/decorators/**', 'auth/@(auth-user|role.enum|scope.enum).ts'];
const layers = [
  { name: 'common', files: ['common/**'] },
  { name: 'config', files: ['config/**'] },
  { name: 'database', files: ['database/**'] },
  { name: 'logging', files: ['logging/**'] },
  { name: 'metrics', files: ['metrics/**'] },
  { name: 'audit', files: ['audit/**'] },
  { name: 'auth (guards, decorators, roles, the caller)', files: authCore },
  // Above the auth core: the document shows its security and its messages.
  { name: 'docs', files: ['docs/**'] },
  { name: 'idempotency', files: ['idempotency/**'] },
  { name: 'sessions', files: ['sessions/**'] },
  { name: 'tokens', files: ['tokens/**'] },
  { name: 'users', files: ['users/**'] },
  { name: 'throttling', files: ['throttling/**'] },
  { name: 'auth (login, refresh, tokens)', files: ['auth/**'] },
];
const assembly = ['cli', 'main.ts', 'app.module.ts', 'setup-app.ts'];
const listed = new Set([...layers.flatMap((l) => l.files.map((f) => f.split('/')[0])), ...assembly]);
const features = readdirSync(src, { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && !listed.has(entry.name))
  .map((entry) => ({ name: entry.name, files: [`${entry.name}/**`] }));
const abs = (globs) => globs.map((g) => join(src, g));
const layerZones = [...layers, ...features].map((layer, i, all) => ({
  target: abs(layer.files),
  from: join(src, '**'),
  // Itself and what lies below it; for a feature, every listed layer (not another feature).
  except: abs([...layer.files, ...all.slice(0, Math.min(i, layers.length)).flatMap((l) => l.files)]),
  message: `Folder graph (eslint.config.mjs): ${layer.name} may import only from itself and the layers below it.`,
}));

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'coverage/**',
      'node_modules/**',
      'eslint.config.mjs',
      'jest.config.js',
      'test/utils/build-once.js',
    ],
  },
  eslint.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  prettier,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-console': 'error',
    },
  },
  {
    files: ['src/**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/extensions': ['.ts', '.js'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
      'import-x/resolver-next': [
        createTypeScriptImportResolver({ project: join(import.meta.dirname, 'tsconfig.json') }),
      ],
    },
    rules: {
      // A cycle between files (type-only imports aside: no-restricted-paths still sees those).
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'import-x/no-restricted-paths': ['error', { zones: layerZones }],
    },
  },
  {
    // Services hold rules and controllers call services; every query is a repository's
    // (src/database/entity-repository.ts). metrics.service.ts reads the database pool's size, not data.
    files: ['src/**/*.service.ts', 'src/**/*.controller.ts'],
    ignores: ['src/metrics/metrics.service.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ['typeorm', '@nestjs/typeorm', 'src/database/direct-queries'].map((name) => ({
            name,
            message: "A service holds rules, not queries: put data access in the feature's repository.",
          })),
          patterns: [
            { group: ['typeorm/*'], message: "A service holds rules, not queries: use the feature's repository." },
          ],
        },
      ],
    },
  },
  {
    files: ['test/**/*.ts', 'src/**/*.spec.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  {
    // Generated by openapi-typescript (npm run client); checked by npm run client:check instead.
    ignores: ['client/schema.d.ts'],
  },
  {
    // The typed client's users: its types must be right without a single assertion (no `as`, no `!`).
    files: ['client/index.ts', 'test/client-journey.e2e-spec.ts', 'test/conformance.e2e-spec.ts'],
    rules: {
      '@typescript-eslint/consistent-type-assertions': ['error', { assertionStyle: 'never' }],
      '@typescript-eslint/no-non-null-assertion': 'error',
    },
  },
);
