import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

const here = (relative: string) => fileURLToPath(new URL(relative, import.meta.url));

/** What the gateway answers itself; `nx serve web` hands these to a running gateway (npm start). */
const GATEWAY_PATHS = ['/v1', '/auth/v1', '/openapi.json', '/admin'];
const gateway = process.env.GATEWAY_URL ?? 'http://127.0.0.1:8080';

export default defineConfig({
  root: here('.'),
  plugins: [react()],
  resolve: {
    alias: { '@dreamseed/api-client': here('../../libs/api-client/src/index.ts') },
  },
  build: {
    outDir: here('../../dist/apps/web'),
    emptyOutDir: true,
    sourcemap: true,
  },
  server: {
    port: 5173,
    strictPort: true,
    proxy: Object.fromEntries(GATEWAY_PATHS.map((p) => [p, { target: gateway, changeOrigin: false }])),
  },
  test: {
    environment: 'jsdom',
    include: ['src/**/*.spec.{ts,tsx}'],
    setupFiles: [here('src/test-setup.ts')],
    restoreMocks: true,
  },
});
