// The public page's live upgrade, loaded by the server-rendered `/p/<token>` page as
// `/public-live.js`. That stable name is revalidated on every visit, so it stays a few hundred
// bytes: the code lives in hashed chunks under /assets/, cached for a year.
import("./live.ts")
  .then((live) => live.startLivePage())
  .catch(() => {
    // The page keeps working as the server rendered it.
  });
