import { defineConfig } from 'vite';

/**
 * The operators' console (docs/operations.md), built by `npm run build` after `nest build` (which empties
 * dist/) into dist/console, where src/console/console.module.ts serves it at /console. Paths are relative to
 * the repository root, where npm runs its scripts.
 */
export default defineConfig({
  root: 'console',
  base: '/console/',
  publicDir: 'public',
  build: {
    outDir: '../dist/console',
    emptyOutDir: true,
    target: 'es2022',
    // The page's Content-Security-Policy allows no inline script: no preload polyfill, no inlined modules.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    sourcemap: false,
    reportCompressedSize: false,
  },
});
