import base from '../eslint.config.mjs';

export default [
  ...base,
  {
    // The launcher is the composition root of `npm start`: it alone puts the five apps in one process. The three
    // checks read the apps' config schemas and routes. operator:add runs the gateway's own admin flows.
    files: ['start.ts', 'compose-check.ts', 'config-docs.ts', 'api-client.ts', 'operator-add.ts', 'operator-add.int-spec.ts'],
    rules: { '@nx/enforce-module-boundaries': 'off' },
  },
  {
    files: ['**/*.ts', '**/*.mjs'],
    rules: { 'no-restricted-properties': 'off' },
  },
];
