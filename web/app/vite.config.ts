import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

// The SDK is used from its TypeScript sources (no separate build step), so one `npm run build`
// here gives the whole app. `PARLEY_DEV_TARGET` is the server the dev server proxies to.
const target = process.env.PARLEY_DEV_TARGET ?? "http://127.0.0.1:8080";

export default defineConfig({
  resolve: {
    alias: { "@parley/sdk": fileURLToPath(new URL("../sdk/src/index.ts", import.meta.url)) },
  },
  esbuild: { jsx: "automatic", jsxImportSource: "preact" },
  build: {
    target: "es2022",
    outDir: "dist",
    assetsDir: "assets",
    emptyOutDir: true,
    sourcemap: false,
    modulePreload: { polyfill: false },
    reportCompressedSize: false,
  },
  server: {
    proxy: {
      "/v1": { target, ws: true, changeOrigin: false },
      "/dev": target,
      "/.well-known": target,
      "/healthz": target,
    },
  },
});
