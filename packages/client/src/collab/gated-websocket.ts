/** Events held back until the gate opens; "open" and "error" pass at once. */
const HELD = new Set(["message", "close"]);

/**
 * A WebSocket class whose "message" and "close" events reach their listeners only once `gate`
 * has resolved, in the order they arrived. The editor page connects while its preview is on
 * screen, so the server loads, encodes and sends the workbook meanwhile; what arrived is applied
 * once the reader pauses, never in the middle of a scroll (applying 30,000 rows holds the page
 * for seconds). A listener removed in the meantime gets nothing.
 */
export function gatedWebSocket(gate: Promise<void>, Base: typeof WebSocket = WebSocket): typeof WebSocket {
  let open = false;
  const waiting: (() => void)[] = [];
  void gate.then(() => {
    open = true;
    for (const deliver of waiting.splice(0)) deliver();
  });

  return class GatedWebSocket extends Base {
    private readonly held = new Map<EventListenerOrEventListenerObject, EventListener>();

    override addEventListener(
      type: string,
      listener: EventListenerOrEventListenerObject,
      options?: boolean | AddEventListenerOptions,
    ): void {
      if (!HELD.has(type)) {
        super.addEventListener(type, listener, options);
        return;
      }
      const holding: EventListener = (event) => {
        const deliver = () => {
          if (this.held.get(listener) !== holding) return;
          if (typeof listener === "function") listener.call(this, event);
          else listener.handleEvent(event);
        };
        if (open) deliver();
        else waiting.push(deliver);
      };
      this.held.set(listener, holding);
      super.addEventListener(type, holding, options);
    }

    override removeEventListener(
      type: string,
      listener: EventListenerOrEventListenerObject,
      options?: boolean | EventListenerOptions,
    ): void {
      const holding = HELD.has(type) ? this.held.get(listener) : undefined;
      if (!holding) {
        super.removeEventListener(type, listener, options);
        return;
      }
      this.held.delete(listener);
      super.removeEventListener(type, holding, options);
    }
  };
}
