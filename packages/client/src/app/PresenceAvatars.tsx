import type { SelfIdentity } from "../collab/collab.ts";
import { type Peer, initialsOf } from "../collab/presence.ts";
import type { ReadableStore } from "../lib/store.ts";
import { useStore } from "../lib/store.ts";

const MAX_SHOWN = 6;

/** Who else is here, in their colours; clicking someone jumps to the cell they are on. */
export function PresenceAvatars(props: {
  peers: ReadableStore<readonly Peer[]>;
  self: SelfIdentity;
  describeWhere: (peer: Peer) => string;
  onJump: (peer: Peer) => void;
}) {
  const peers = useStore(props.peers);
  const shown = peers.slice(0, MAX_SHOWN);
  const hidden = peers.length - shown.length;
  return (
    <div className="hz-presence" title={`在线协作者 ${peers.length} 人`}>
      {peers.length === 0 && <span className="hz-presence-alone">只有你在编辑</span>}
      {shown.map((peer) => (
        <button
          type="button"
          key={peer.clientId}
          className="hz-avatar"
          style={{ background: peer.color }}
          title={`${peer.name} · ${props.describeWhere(peer)}`}
          data-peer-name={peer.name}
          onClick={() => props.onJump(peer)}
        >
          {initialsOf(peer.name)}
        </button>
      ))}
      {hidden > 0 && (
        <span
          className="hz-avatar is-more"
          title={peers
            .slice(MAX_SHOWN)
            .map((p) => p.name)
            .join("、")}
        >
          +{hidden}
        </span>
      )}
      <span className="hz-presence-divider" aria-hidden="true" />
      <span className="hz-self" title="你的身份由链接决定，其他人看到的就是这个名字">
        <span className="hz-avatar is-self" style={{ background: props.self.color }}>
          {initialsOf(props.self.name)}
        </span>
        <span className="hz-self-name">{props.self.name}</span>
      </span>
    </div>
  );
}
