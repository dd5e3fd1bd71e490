// Shared jest settings for every project: TypeScript through SWC (fast; `typecheck` does the type checking).
// SWC rewrites the workspace aliases from tsconfig.base.json at compile time, so they resolve everywhere,
// the global setup included (moduleNameMapper does not reach it).
const path = require('node:path');
const { compilerOptions } = require('./tsconfig.base.json');

const root = __dirname;

module.exports = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      {
        jsc: { parser: { syntax: 'typescript' }, target: 'es2022', baseUrl: root, paths: compilerOptions.paths },
        module: { type: 'commonjs' },
      },
    ],
  },
  moduleFileExtensions: ['ts', 'js', 'json'],
  testMatch: ['**/?(*.)+(spec|int-spec).ts'],
  globalSetup: path.join(root, 'libs/testing/src/global-setup.ts'),
  globalTeardown: path.join(root, 'libs/testing/src/global-teardown.ts'),
  testTimeout: 30000,
};
