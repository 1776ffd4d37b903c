import type { Collab } from "../collab/collab.ts";
import type { Peer } from "../collab/presence.ts";
import { ConnectionBadge } from "./ConnectionBadge.tsx";
import { PresenceAvatars } from "./PresenceAvatars.tsx";

/** The product mark and the workbook's title, on the live page and its preview alike. */
export function TitleBlock({ title, readOnly }: { title: string; readOnly: boolean }) {
  return (
    <>
      <span className="hz-logo" aria-hidden="true">
        互
      </span>
      <div className="hz-title-block">
        <h1 className="hz-title">{title}</h1>
        <span className="hz-subtitle">互助协作表格{readOnly && <span className="hz-readonly-tag">只读</span>}</span>
      </div>
    </>
  );
}

/** The top bar: product mark, workbook title, connection state, who is here (and 管理 for admins). */
export function Header({
  collab,
  title,
  describeWhere,
  onJump,
  onOpenAdmin,
}: {
  collab: Collab;
  title: string;
  describeWhere: (p: Peer) => string;
  onJump: (p: Peer) => void;
  /** Opens the admin page; only given to admin links. */
  onOpenAdmin?: () => void;
}) {
  return (
    <header className="hz-header">
      <TitleBlock title={title} readOnly={collab.readOnly} />
      <ConnectionBadge connection={collab.connection} />
      <span className="hz-header-spacer" />
      {onOpenAdmin && (
        <button type="button" className="hz-admin-button" onClick={onOpenAdmin} title="链接、列设置和公开范围">
          管理
        </button>
      )}
      <PresenceAvatars peers={collab.peers} self={collab.self} describeWhere={describeWhere} onJump={onJump} />
    </header>
  );
}
