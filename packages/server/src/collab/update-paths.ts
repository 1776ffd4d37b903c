import { type DocPath, LIST_POSITION } from "@huzhu/schema";
import * as Y from "yjs";
import { decodeIncomingUpdate } from "./incoming-update.ts";

/**
 * Where an update would write, worked out before it is applied: the path of every item it would
 * insert and of every item it would delete, resolved against the live document and the update's
 * own items, the way Yjs itself would place them (`Item.getMissing`). Decoding is V1 only and never
 * merges: the V2 decoder and `Y.mergeUpdates` on untrusted bytes are known to hang (yjs #687).
 */

/** The item would become garbage on arrival (its neighbour or parent is gone): it changes nothing. */
export const INERT = "inert" as const;
/** The update names an item nobody has (a missing dependency, a cycle, an unknown deletion). */
export const UNRESOLVED = "unresolved" as const;

/** Where an inserted or deleted item sits. */
export type Place = DocPath | typeof INERT | typeof UNRESOLVED;

/** What an inserted item holds: a map (a row), another shared type, a plain value, or nothing. */
export type ContentKind = "map" | "type" | "value" | "deleted";

/** One item the update would insert. */
export interface Insertion {
  readonly place: Place;
  readonly kind: ContentKind;
  /** The Yjs client id it is written under. */
  readonly client: number;
  /** The plain (JSON-like) value it holds, if any (checks that look inside one, e.g. a row's inserted cells). */
  readonly value?: unknown;
}

/** What applying an update would do to a document. */
export interface UpdateEffect {
  /** Yjs client ids with structs the document does not have yet. */
  readonly newClients: ReadonlySet<number>;
  readonly insertions: readonly Insertion[];
  /** Places of the live items it would delete (deleting what is already deleted is nothing). */
  readonly deletions: readonly Place[];
  /** A client's new structs start past what the document has: Yjs would hold them back as pending. */
  readonly hasGap: boolean;
  /** Whether applying it would change the document at all. */
  readonly changes: boolean;
}

type Struct = Y.Item | Y.GC;

/** Deeper than anything the workbook layout nests; a longer chain of references is refused. */
const MAX_DEPTH = 64;

function kindOf(item: Y.Item): ContentKind {
  const { content } = item;
  if (content instanceof Y.ContentType) return content.type instanceof Y.Map ? "map" : "type";
  if (content instanceof Y.ContentDoc) return "type";
  if (content instanceof Y.ContentDeleted) return "deleted";
  return "value";
}

/**
 * The plain value a map entry holds (JSON-like content), read without copying: other contents
 * (a string item is split into characters by getContent) are never a row's inserted cells.
 */
function plainValueOf(item: Y.Item): unknown {
  const { content } = item;
  return content instanceof Y.ContentAny || content instanceof Y.ContentJSON ? content.arr[0] : undefined;
}

/** The path of an item already in the document. */
function placeInDocument(item: Y.Item): Place {
  const keys: string[] = [];
  let current: Y.Item = item;
  for (let depth = 0; depth < MAX_DEPTH; depth += 1) {
    keys.push(current.parentSub ?? LIST_POSITION);
    const parent = current.parent;
    if (!(parent instanceof Y.AbstractType)) return UNRESOLVED;
    if (parent._item === null) {
      keys.push(Y.findRootTypeKey(parent));
      return keys.reverse();
    }
    current = parent._item;
  }
  return UNRESOLVED;
}

class UpdateReader {
  private readonly newStructs = new Map<number, Struct[]>();
  private readonly places = new Map<Y.Item, Place>();
  private readonly resolving = new Set<Y.Item>();
  readonly newClients = new Set<number>();
  hasGap = false;
  private readonly doc: Y.Doc;

  constructor(doc: Y.Doc, structs: readonly (Y.Item | Y.GC | Y.Skip)[]) {
    this.doc = doc;
    const expected = new Map<number, number>();
    for (const struct of structs) {
      if (struct instanceof Y.Skip) continue;
      const { client, clock } = struct.id;
      const state = Y.getState(doc.store, client);
      // Already in the document: Yjs skips it (a part of it that is new is integrated like a whole).
      if (clock + struct.length <= state) continue;
      if (clock > (expected.get(client) ?? state)) this.hasGap = true;
      expected.set(client, clock + struct.length);
      this.newClients.add(client);
      const list = this.newStructs.get(client) ?? [];
      list.push(struct);
      this.newStructs.set(client, list);
    }
  }

  get insertedStructs(): Struct[] {
    return [...this.newStructs.values()].flat();
  }

  /** The struct holding `id`: in the document, or among the update's new structs. */
  find(id: Y.ID): Struct | undefined {
    if (id.clock < Y.getState(this.doc.store, id.client)) return Y.getItem(this.doc.store, id) as Struct;
    const list = this.newStructs.get(id.client);
    if (!list) return undefined;
    let low = 0;
    let high = list.length - 1;
    while (low <= high) {
      const middle = (low + high) >> 1;
      const struct = list[middle] as Struct;
      if (id.clock < struct.id.clock) high = middle - 1;
      else if (id.clock >= struct.id.clock + struct.length) low = middle + 1;
      else return struct;
    }
    return undefined;
  }

  isNew(struct: Struct): boolean {
    return struct.id.clock + struct.length > Y.getState(this.doc.store, struct.id.client);
  }

  /** Where an item of this update would land once integrated. */
  place(item: Y.Item, depth = 0): Place {
    if (!this.isNew(item)) return placeInDocument(item);
    const known = this.places.get(item);
    if (known !== undefined) return known;
    if (this.resolving.has(item) || depth > MAX_DEPTH) return UNRESOLVED;
    this.resolving.add(item);
    const place = this.resolve(item, depth);
    this.resolving.delete(item);
    this.places.set(item, place);
    return place;
  }

  /** The same decisions, in the same order, as Yjs' `Item.getMissing`. */
  private resolve(item: Y.Item, depth: number): Place {
    const left = item.origin ? this.find(item.origin) : null;
    const right = item.rightOrigin ? this.find(item.rightOrigin) : null;
    if (left === undefined || right === undefined) return UNRESOLVED;
    if (left instanceof Y.GC || right instanceof Y.GC) return INERT;
    const parent = item.parent as unknown;
    if (parent === null) {
      const sibling = left ?? right;
      return sibling ? this.place(sibling, depth + 1) : UNRESOLVED;
    }
    if (typeof parent === "string") return [parent, item.parentSub ?? LIST_POSITION];
    if (!(parent instanceof Y.ID)) return UNRESOLVED;
    const holder = this.find(parent);
    if (holder === undefined) return UNRESOLVED;
    if (holder instanceof Y.GC || !(holder.content instanceof Y.ContentType)) return INERT;
    const base = this.place(holder, depth + 1);
    return typeof base === "string" ? base : [...base, item.parentSub ?? LIST_POSITION];
  }

  /** Places of the live items a delete set would delete. */
  deletions(ds: ReturnType<typeof Y.decodeUpdate>["ds"]): Place[] {
    const places: Place[] = [];
    for (const [client, ranges] of ds.clients) {
      const state = Y.getState(this.doc.store, client);
      const structs = this.doc.store.clients.get(client) ?? [];
      for (const { clock, len } of ranges) {
        const end = clock + len;
        if (clock < state) {
          for (let i = Y.findIndexSS(structs, clock); i < structs.length; i += 1) {
            const struct = structs[i] as Struct;
            if (struct.id.clock >= Math.min(end, state)) break;
            if (struct instanceof Y.Item && !struct.deleted) places.push(placeInDocument(struct));
          }
        }
        for (let at = Math.max(clock, state); at < end; ) {
          const struct = this.find(Y.createID(client, at));
          if (!struct) {
            places.push(UNRESOLVED);
            break;
          }
          if (struct instanceof Y.Item) places.push(this.place(struct));
          at = struct.id.clock + struct.length;
        }
      }
    }
    return places;
  }
}

/**
 * What `update` would do to `doc`, without applying it. Throws if the bytes do not decode (the
 * limits extension refuses those first).
 */
export function readUpdateEffect(doc: Y.Doc, update: Uint8Array): UpdateEffect {
  const { structs, ds } = decodeIncomingUpdate(update);
  const reader = new UpdateReader(doc, structs);
  const inserted = reader.insertedStructs;
  const insertions: Insertion[] = [];
  for (const struct of inserted) {
    if (!(struct instanceof Y.Item)) continue;
    const kind = kindOf(struct);
    const place = reader.place(struct);
    const { client } = struct.id;
    insertions.push(kind === "value" ? { place, kind, client, value: plainValueOf(struct) } : { place, kind, client });
  }
  const deletions = reader.deletions(ds);
  return {
    newClients: reader.newClients,
    insertions,
    deletions,
    hasGap: reader.hasGap,
    changes: inserted.length > 0 || deletions.length > 0,
  };
}
