import type { ConnectionState } from "../collab/connection.ts";
import { describeConnection } from "../collab/connection.ts";
import type { ReadableStore } from "../lib/store.ts";
import { useStore } from "../lib/store.ts";

/** Always-visible connection state: 在线 / 同步中 / 离线（N 个未同步修改）/ 无法访问. */
export function ConnectionBadge({ connection }: { connection: ReadableStore<ConnectionState> }) {
  const summary = describeConnection(useStore(connection));
  return (
    <span className={`hz-connection is-${summary.tone}`} title={summary.detail} role="status" data-tone={summary.tone}>
      <span className="hz-connection-dot" aria-hidden="true" />
      {summary.label}
    </span>
  );
}
