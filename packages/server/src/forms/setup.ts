import type { Hocuspocus } from "@hocuspocus/server";
import type { Logger } from "pino";
import { formRoutes } from "../http/form-routes.ts";
import type { Route } from "../http/router.ts";
import type { DocStore } from "../storage/doc-store.ts";
import type { FormStore } from "../storage/form-store.ts";
import { SqliteFormStore } from "../storage/sqlite-form-store.ts";
import { SqliteDocStore } from "../storage/sqlite-store.ts";
import { type FormDependencies, type FormOptions, formSettings } from "./context.ts";
import { formPageScript } from "./page-script.ts";
import { loadOrCreateFormSecret } from "./secret.ts";

/** What the composition root hands the request form. */
export interface FormSetup {
  readonly dataDir: string;
  readonly store: DocStore;
  readonly hocuspocus: Hocuspocus;
  readonly persistence: FormDependencies["persistence"];
  readonly publicUrl: string;
  readonly logger: Logger;
  /** Default: the SQLite database of a SqliteDocStore, else one in dataDir. */
  readonly formStore?: FormStore | undefined;
  /** Default: DATA_DIR/form-secret. Instances of one deployment must share it. */
  readonly formSecret?: Buffer | undefined;
  readonly options?: FormOptions | undefined;
}

/**
 * The form store when none is given: on the doc store's SQLite database, or (a doc store of
 * another kind, in tests) on a SQLite database of its own in dataDir, closed with the form.
 */
function defaultFormStore(setup: FormSetup): { formStore: FormStore; own?: SqliteDocStore } {
  if (setup.store instanceof SqliteDocStore) return { formStore: new SqliteFormStore(setup.store) };
  const own = new SqliteDocStore(setup.dataDir);
  return { formStore: new SqliteFormStore(own), own };
}

/** The request form, ready to serve: its routes, and what to close on shutdown. */
export function createForms(setup: FormSetup): { routes: Route[]; close(): Promise<void> } {
  const { formStore, own } = setup.formStore ? { formStore: setup.formStore, own: undefined } : defaultFormStore(setup);
  const deps: FormDependencies = {
    store: setup.store,
    formStore,
    hocuspocus: setup.hocuspocus,
    persistence: setup.persistence,
    secret: setup.formSecret ?? loadOrCreateFormSecret(setup.dataDir),
    publicUrl: setup.publicUrl,
    logger: setup.logger,
    now: () => Date.now(),
    ...formSettings(setup.options),
  };
  // Bundled now, so the first person to open a form does not wait for it.
  void formPageScript(setup.logger);
  return {
    routes: formRoutes(deps),
    async close() {
      await formStore.close();
      await own?.close();
    },
  };
}
