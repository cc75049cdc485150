import { defineConfig } from 'vite';

/**
 * Three pages, each its own entry so that a page loads only what it uses: the wall (`/`), the
 * dispatcher desk (`/desk`) and the resident page (`/r`, light: no map library). The platform's
 * server (twin/) serves `dist/`; `vite` (dev) proxies the API and the stream to a running
 * `pnpm start` on DEV_API (default http://localhost:8080).
 */
const api = process.env.DEV_API ?? 'http://localhost:8080';

export default defineConfig({
  build: {
    target: 'es2022',
    outDir: 'dist',
    emptyOutDir: true,
    // The build's own report prints each file's gzip size; the manifest says which files each page
    // loads first (infra/test/dashboard/bundle-size.test.ts adds them up).
    reportCompressedSize: true,
    manifest: true,
    chunkSizeWarningLimit: 2048,
    rollupOptions: {
      input: {
        wall: new URL('./index.html', import.meta.url).pathname,
        desk: new URL('./desk.html', import.meta.url).pathname,
        resident: new URL('./r.html', import.meta.url).pathname,
      },
    },
  },
  server: {
    proxy: {
      '/api': api,
      '/open311': api,
      '/socket.io': { target: api, ws: true },
    },
  },
});
