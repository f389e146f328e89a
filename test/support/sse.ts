import http from 'node:http';

export interface SseEvent {
  id: number;
  type: string;
  data: Record<string, unknown>;
  at: number;
}

/** A Server-Sent-Events client that parses frames as they come (test support: no reconnect logic). */
export class SseClient {
  readonly events: SseEvent[] = [];
  comments = 0;
  status = 0;
  closed = false;
  private request?: http.ClientRequest;
  private response?: http.IncomingMessage;

  static async open(url: string, headers: Record<string, string>): Promise<SseClient> {
    const client = new SseClient();
    await client.connect(url, headers);
    return client;
  }

  private connect(url: string, headers: Record<string, string>): Promise<void> {
    return new Promise((resolve, reject) => {
      this.request = http.get(url, { headers: { accept: 'text/event-stream', ...headers } }, (res) => {
        this.response = res;
        this.status = res.statusCode ?? 0;
        let buffer = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          buffer += chunk;
          let end: number;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            this.frame(buffer.slice(0, end));
            buffer = buffer.slice(end + 2);
          }
        });
        res.on('close', () => (this.closed = true));
        resolve();
      });
      this.request.on('error', (err) => (this.closed ? undefined : reject(err)));
    });
  }

  private frame(text: string): void {
    const fields: Record<string, string> = {};
    for (const line of text.split('\n')) {
      if (line.startsWith(':')) this.comments++;
      const colon = line.indexOf(': ');
      if (colon > 0) fields[line.slice(0, colon)] = line.slice(colon + 2);
    }
    if (fields.id)
      this.events.push({
        id: Number(fields.id),
        type: fields.event,
        data: JSON.parse(fields.data),
        at: Date.now(),
      });
  }

  /** Resolves once `n` events arrived; rejects after `ms`. */
  async waitFor(n: number, ms = 5000): Promise<SseEvent[]> {
    const deadline = Date.now() + ms;
    while (this.events.length < n) {
      if (Date.now() > deadline) throw new Error(`${this.events.length} of ${n} events after ${ms} ms`);
      await new Promise((r) => setTimeout(r, 10));
    }
    return this.events;
  }

  close(): void {
    this.closed = true;
    this.request?.destroy();
    this.response?.destroy();
  }
}
