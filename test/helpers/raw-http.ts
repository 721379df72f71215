import { connect } from 'node:net';

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * Sends one HTTP/1.1 request byte for byte (header names in the case given,
 * header values as raw bytes), so tests can send what fetch would normalise.
 */
export function rawRequest(
  url: string,
  method: string,
  headers: [string, string | Buffer][],
  body: Buffer = Buffer.alloc(0),
): Promise<RawResponse> {
  const { hostname, port, pathname } = new URL(url);
  const head = Buffer.concat([
    Buffer.from(`${method} ${pathname} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nConnection: close\r\n`),
    ...headers.map(([name, value]) => Buffer.concat([Buffer.from(`${name}: `), Buffer.from(value), Buffer.from('\r\n')])),
    Buffer.from(`Content-Length: ${body.length}\r\n\r\n`),
  ]);

  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname === 'localhost' ? '127.0.0.1' : hostname);
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('end', () => resolve(parseResponse(Buffer.concat(chunks).toString('utf8'))));
    socket.write(Buffer.concat([head, body]));
  });
}

function parseResponse(text: string): RawResponse {
  const [head, ...rest] = text.split('\r\n\r\n');
  const [statusLine, ...lines] = head.split('\r\n');
  const headers = Object.fromEntries(
    lines.map((line) => {
      const at = line.indexOf(':');
      return [line.slice(0, at).toLowerCase(), line.slice(at + 1).trim()];
    }),
  );

  return { status: Number(statusLine.split(' ')[1]), headers, body: rest.join('\r\n\r\n') };
}
