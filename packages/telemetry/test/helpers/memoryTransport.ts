import type { Transport, TransportRequest, TransportResult } from '@lookout/core';
import { decodeBody } from './eventReceiver.js';
import type { ReceivedEvent } from './eventReceiver.js';

/** An in-memory transport for unit tests: decodes each body and answers with `answer()`. */
export function memoryTransport(answer: () => TransportResult = () => ({ kind: 'success' })): Transport & { events: ReceivedEvent[]; requests: TransportRequest[] } {
  const events: ReceivedEvent[] = [];
  const requests: TransportRequest[] = [];
  return {
    events,
    requests,
    send(request) {
      requests.push(request);
      const result = answer();
      if (result.kind === 'success') {
        const body = typeof request.body === 'string' ? Buffer.from(request.body) : Buffer.from(request.body);
        events.push(...decodeBody(body, request.contentType, request.headers?.['content-encoding'] ?? '').events);
      }
      return Promise.resolve(result);
    },
  };
}
