// Builds the web app from web/ into dist/web, which the server serves at /. In development
// `npm run dev:web` serves the app with hot reload and passes API calls to the server on
// port 3000, so the session cookie stays same-origin.
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { compressAssets } from './scripts/compress-assets.js';

const serverUrl = 'http://localhost:3000';
const serverPaths = ['/api', '/health', '/ready', '/metrics', '/openapi.json', '/docs'];

export default defineConfig({
  root: 'web',
  plugins: [react(), compressAssets()],
  build: {
    outDir: '../dist/web',
    emptyOutDir: true,
  },
  server: {
    proxy: Object.fromEntries(serverPaths.map((path) => [path, { target: serverUrl }])),
  },
});
