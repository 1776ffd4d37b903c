import * as Y from "yjs";
for (const n of [500, 5000, 20000]) {
  const doc = new Y.Doc();
  const rows = doc.getMap("rows");
  for (let i = 0; i < n; i++) {
    const other = new Y.Doc();
    other.clientID = i + 1;
    Y.applyUpdate(other, Y.encodeStateAsUpdate(doc));
    other.getMap("rows").set("r" + (i % 50), i);
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(other, Y.encodeStateVector(doc)));
  }
  doc.on("update", () => {});
  const editor = new Y.Doc();
  editor.clientID = 999999999;
  Y.applyUpdate(editor, Y.encodeStateAsUpdate(doc));
  const updates = [];
  editor.on("update", (u) => updates.push(u));
  for (let i = 0; i < 2000; i++) editor.getMap("rows").set("r" + (i % 50), "v" + i);
  const t = performance.now();
  for (const u of updates) Y.applyUpdate(doc, u);
  const dt = performance.now() - t;
  console.log(`${n} clients: ${((dt / updates.length) * 1000).toFixed(1)} µs per applied edit (with an update listener)`);
}
