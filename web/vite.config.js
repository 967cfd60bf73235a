import { defineConfig } from "vite";

// The coordinator serves the jar's META-INF/resources at its root, so the app lands at /app/.
export default defineConfig({
  base: "/app/",
  build: {
    outDir: "target/classes/META-INF/resources/app",
    emptyOutDir: true,
    chunkSizeWarningLimit: 400,
  },
});
