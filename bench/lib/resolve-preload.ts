import { registerWorkspaceResolution } from "./resolve.ts";

registerWorkspaceResolution();
