import { createServer, type IncomingMessage } from 'node:http';

/** How the receiver answers: a status after `delayMs`, or never (`hang`). */
export type ReceiverAnswer = { status: number; delayMs?: number } | 'hang';

export interface PushReceiver {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** Request bodies, in arrival order. */
  readonly bodies: Buffer[];
  /** How later requests are answered; may be changed between runs. */
  answer: ReceiverAnswer;
  close(): void;
}

/** A loopback receiver for pushes (Pushgateway PUT, remote write, OTLP) whose answers a test controls. */
export async function startPushReceiver(answer: ReceiverAnswer): Promise<PushReceiver> {
  const bodies: Buffer[] = [];
  const receiver: PushReceiver = { url: '', bodies, answer, close: () => {} };
  const server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      bodies.push(Buffer.concat(chunks));
      const now = receiver.answer;
      if (now !== 'hang') setTimeout(() => res.writeHead(now.status).end(), now.delayMs ?? 0);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  Object.assign(receiver, {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    close: () => {
      server.closeAllConnections();
      server.close();
    },
  });
  return receiver;
}
