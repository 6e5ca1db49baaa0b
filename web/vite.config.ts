import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const webRoot = fileURLToPath(new URL('.', import.meta.url));
const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const apiTarget = process.env.DEBRIEF_API_URL ?? 'http://127.0.0.1:4000';

export default defineConfig({
  root: webRoot,
  plugins: [react()],
  build: {
    outDir: '../dist/web',
    emptyOutDir: true,
    sourcemap: true,
    // echarts (~540 kB) is its own chunk, loaded only when an evidence chart is shown; the entry stays small.
    chunkSizeWarningLimit: 600,
  },
  server: {
    // The app imports the shared domain types and pure helpers from ../src/domain.
    fs: { allow: [repoRoot] },
    proxy: {
      '/api': { target: apiTarget, changeOrigin: false },
      '/healthz': { target: apiTarget, changeOrigin: false },
    },
  },
});
