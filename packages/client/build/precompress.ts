import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { constants, gzipSync } from "node:zlib";
import type { Plugin } from "vite";

/** What is worth compressing: text the browser loads (source maps are only fetched by devtools). */
const COMPRESSIBLE = /\.(js|css|html|svg|json)$/;

/**
 * Writes `<file>.gz` beside every text file of the build, compressed once at the highest level,
 * so the server sends the 1.5 MB grid bundle as ~0.4 MB to browsers that accept gzip without
 * compressing per request. Volunteers open the sheet on phones on congested networks.
 */
export function precompress(): Plugin {
  return {
    name: "huzhu-precompress",
    apply: "build",
    writeBundle(options, bundle) {
      const dir = options.dir ?? "dist";
      for (const fileName of Object.keys(bundle)) {
        if (!COMPRESSIBLE.test(fileName)) continue;
        const path = join(dir, fileName);
        writeFileSync(`${path}.gz`, gzipSync(readFileSync(path), { level: constants.Z_BEST_COMPRESSION }));
      }
    },
  };
}
