import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";
import { precompress } from "./build/precompress.ts";

// In development the client runs on Vite's server and talks to a Huzhu server on :8080 (start it
// with `pnpm --filter @huzhu/server start`); without an editor link it opens a local demo workbook.
const apiTarget = process.env.HUZHU_SERVER ?? "http://127.0.0.1:8080";

export default defineConfig({
  plugins: [react(), precompress()],
  build: {
    outDir: "dist",
    sourcemap: true,
    chunkSizeWarningLimit: 2500,
    rolldownOptions: {
      // The public page's live script keeps a stable name (/public-live.js, which the server's
      // `/p/<token>` page loads); everything else keeps hashed names under assets/.
      input: { index: "index.html", "public-live": "src/public-live/main.ts" },
      output: { entryFileNames: (chunk) => (chunk.name === "public-live" ? "[name].js" : "assets/[name]-[hash].js") },
    },
  },
  server: {
    proxy: {
      "/api": apiTarget,
      "/collab": { target: apiTarget.replace(/^http/, "ws"), ws: true },
    },
  },
});
