/**
 * Give queued messages (pause, stop, UI events) a chance to run between training steps.
 * setTimeout(0) is clamped to 4 ms once nested, so use setImmediate (Node) or a
 * MessageChannel round trip (browsers, workers), both unclamped.
 */
export function yieldToEventLoop(): Promise<void> {
  const g = globalThis as { setImmediate?: (cb: () => void) => unknown };
  if (g.setImmediate) return new Promise((resolve) => g.setImmediate!(resolve));
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}
