/** The items of a Sentry envelope: header line, then item header + payload pairs; `length` counts payload bytes exactly. */
export function parseEnvelope(body: Buffer): Array<{ header: Record<string, unknown>; payload: Record<string, unknown> | string }> {
  const items: Array<{ header: Record<string, unknown>; payload: Record<string, unknown> | string }> = [];
  let at = body.indexOf(0x0a);
  if (at < 0) return items;
  at += 1;
  while (at < body.length) {
    const headerEnd = body.indexOf(0x0a, at);
    const headerText = body.subarray(at, headerEnd < 0 ? body.length : headerEnd).toString('utf8');
    if (headerText.trim() === '') break;
    const header = JSON.parse(headerText) as Record<string, unknown>;
    const start = headerEnd < 0 ? body.length : headerEnd + 1;
    const length = typeof header['length'] === 'number' ? header['length'] : undefined;
    const end = length !== undefined ? start + length : (() => {
      const nl = body.indexOf(0x0a, start);
      return nl < 0 ? body.length : nl;
    })();
    const text = body.subarray(start, end).toString('utf8');
    let payload: Record<string, unknown> | string = text;
    try {
      payload = JSON.parse(text) as Record<string, unknown>;
    } catch {
      // Attachments and other raw payloads stay text.
    }
    items.push({ header, payload });
    at = end + 1;
  }
  return items;
}
