import { PostgresStoreBase } from "./postgres-pool.ts";
import type { PublicStateStore } from "./public-state-store.ts";

/** PublicStateStore on PostgreSQL (DATABASE_URL); instances recording the same state agree on one time. */
export class PostgresPublicStateStore extends PostgresStoreBase implements PublicStateStore {
  async recordPublicState(workbookId: string, stateHash: string, at: Date): Promise<string> {
    return this.track(async () => {
      await this.pool.query(
        `INSERT INTO public_states (workbook_id, state_hash, changed_at) VALUES ($1, $2, $3)
         ON CONFLICT (workbook_id) DO UPDATE SET state_hash = excluded.state_hash, changed_at = excluded.changed_at
         WHERE public_states.state_hash <> excluded.state_hash`,
        [workbookId, stateHash, at.toISOString()],
      );
      const { rows } = await this.pool.query<{ changed_at: string }>("SELECT changed_at FROM public_states WHERE workbook_id = $1", [
        workbookId,
      ]);
      return (rows[0] as { changed_at: string }).changed_at;
    });
  }
}
