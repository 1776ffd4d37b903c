/**
 * `pnpm bench`: runs Huzhu's benchmarks against bare Hocuspocus and Huzhu (see bench/README.md).
 * The workspace resolution must be in place before anything imports yjs or ws, hence the dynamic import.
 */
import { registerWorkspaceResolution } from "./lib/resolve.ts";

registerWorkspaceResolution();
const { main } = await import("./lib/suite.ts");
try {
  await main(process.argv.slice(2));
  process.exit(0);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
