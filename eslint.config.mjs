import nx from '@nx/eslint-plugin';

const SCOPES = ['gateway', 'voice', 'analysis', 'domain', 'billing', 'web'];

/**
 * The architecture in two dimensions: what kind of project (type) and whose (scope). No app imports another
 * app; libs never import apps; apps see only their own scope and the shared libs. Tests may also use the
 * testing lib, which itself depends on nothing but the contracts.
 */
function boundaries({ inTests }) {
  const testing = inTests ? ['type:testing'] : [];
  return [
    'error',
    {
      enforceBuildableLibDependency: true,
      allow: [],
      depConstraints: [
        { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:contracts', 'type:platform', ...testing] },
        { sourceTag: 'type:platform', onlyDependOnLibsWithTags: ['type:contracts', ...testing] },
        { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: [...testing] },
        { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:contracts'] },
        { sourceTag: 'type:tooling', onlyDependOnLibsWithTags: ['type:contracts', 'type:platform', 'type:testing'] },
        { sourceTag: 'type:e2e', onlyDependOnLibsWithTags: ['type:contracts', 'type:testing'] },
        { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
        ...SCOPES.map((scope) => ({ sourceTag: `scope:${scope}`, onlyDependOnLibsWithTags: [`scope:${scope}`, 'scope:shared'] })),
      ],
    },
  ];
}

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  ...nx.configs['flat/javascript'],
  { ignores: ['**/dist', '**/node_modules', '**/.data', '**/drizzle/meta', 'coverage', 'tmp'] },
  {
    files: ['**/*.ts', '**/*.tsx'],
    rules: {
      '@nx/enforce-module-boundaries': boundaries({ inTests: false }),
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['**/*.spec.ts', '**/*.spec.tsx', '**/*.int-spec.ts', '**/__fixtures__/**/*.ts'],
    rules: { '@nx/enforce-module-boundaries': boundaries({ inTests: true }) },
  },
  {
    // process.env is read in one place per app: its config.ts (and the platform's config helper).
    files: ['apps/**/src/**/*.ts', 'apps/**/src/**/*.tsx', 'libs/**/src/**/*.ts'],
    ignores: ['**/config.ts', '**/*.spec.ts', '**/*.int-spec.ts', 'libs/testing/**'],
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'Read configuration through the app config (config.ts).' },
      ],
    },
  },
];
