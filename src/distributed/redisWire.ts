// A Redis connection speaking RESP2 over one socket, shaped as the "send + connected" client that
// BullMQ's built-in adapter (bun-redis-client) wraps. BullMQ 6 ships no Redis driver of its own and
// loads ioredis or node-redis only if the user installed one; this small wire client lets rxvds run
// BullMQ with nothing more than `bullmq` installed. BullMQ does everything else: Lua scripts,
// reconnection (through `duplicate`), blocking pops on their own connections.
import { connect as connectSocket, type Socket } from 'node:net';
import { InvalidArgumentError } from '../model/errors.js';

/** Where a Redis server is: `redis://[:password@]host[:port][/db]`. */
export interface RedisAddress {
  host: string;
  port: number;
  password?: string;
  username?: string;
  db: number;
}

export function parseRedisUrl(url: string): RedisAddress {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new InvalidArgumentError(`"${url}" is not a Redis URL: expected redis://HOST:PORT[/DB]`);
  }
  if (parsed.protocol !== 'redis:') throw new InvalidArgumentError(`"${parsed.protocol}//" is not a Redis URL scheme: expected redis://HOST:PORT[/DB]`);
  const db = parsed.pathname.length > 1 ? Number(parsed.pathname.slice(1)) : 0;
  if (!Number.isInteger(db) || db < 0) throw new InvalidArgumentError(`The database of a Redis URL is a number, got "${parsed.pathname.slice(1)}"`);
  return {
    host: parsed.hostname || '127.0.0.1',
    port: parsed.port ? Number(parsed.port) : 6379,
    password: parsed.password ? decodeURIComponent(parsed.password) : undefined,
    username: parsed.username ? decodeURIComponent(parsed.username) : undefined,
    db,
  };
}

type Reply = string | number | null | Error | Reply[];

interface Pending {
  resolve(reply: Reply): void;
  reject(error: Error): void;
}

/** Not a reply yet: more bytes are needed. */
const INCOMPLETE = Symbol('incomplete');

export class RedisWire {
  connected = false;
  onconnect?: () => void;
  onclose?: (error?: Error) => void;
  onerror?: (error: Error) => void;
  private socket?: Socket;
  private connecting?: Promise<void>;
  private buffer: Buffer = Buffer.alloc(0);
  private readonly pending: Pending[] = [];
  private closedOnPurpose = false;

  constructor(readonly address: RedisAddress) {}

  get url(): string {
    return `redis://${this.address.host}:${this.address.port}/${this.address.db}`;
  }

  connect(): Promise<void> {
    return (this.connecting ??= this.open());
  }

  private open(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const socket = connectSocket({ host: this.address.host, port: this.address.port });
      this.socket = socket;
      socket.setNoDelay(true);
      socket.on('data', (data) => this.receive(data));
      socket.once('connect', () => {
        this.handshake().then(() => {
          this.connected = true;
          resolve();
          this.onconnect?.();
        }, (error: Error) => {
          reject(error);
          socket.destroy(error);
        });
      });
      socket.on('error', (error) => {
        if (!this.connected) reject(new Error(`Connection has failed: Redis at ${this.address.host}:${this.address.port}: ${error.message}`));
        else this.onerror?.(error);
      });
      socket.once('close', () => {
        const wasConnected = this.connected;
        this.connected = false;
        this.socket = undefined;
        for (const waiter of this.pending.splice(0)) waiter.reject(new Error('Connection closed'));
        if (wasConnected || !this.closedOnPurpose) this.onclose?.(this.closedOnPurpose ? undefined : new Error('Connection closed'));
      });
    });
  }

  /** Credentials and database, sent before anything else on the socket. */
  private async handshake(): Promise<void> {
    const { username, password, db } = this.address;
    if (password !== undefined) await this.write('AUTH', username ? [username, password] : [password]);
    if (db !== 0) await this.write('SELECT', [String(db)]);
  }

  async send<T = Reply>(command: string, args: readonly unknown[]): Promise<T> {
    if (!this.socket) await this.connect();
    else if (!this.connected) await this.connecting;
    return this.write(command, args) as Promise<T>;
  }

  private write(command: string, args: readonly unknown[]): Promise<Reply> {
    const socket = this.socket;
    if (!socket) return Promise.reject(new Error('Connection closed'));
    const parts = [command, ...args].map((a) => (Buffer.isBuffer(a) || a instanceof Uint8Array ? Buffer.from(a) : Buffer.from(String(a))));
    const chunks: Buffer[] = [Buffer.from(`*${parts.length}\r\n`)];
    for (const part of parts) chunks.push(Buffer.from(`$${part.length}\r\n`), part, Buffer.from('\r\n'));
    return new Promise<Reply>((resolve, reject) => {
      this.pending.push({
        resolve: (reply) => (reply instanceof Error ? reject(reply) : resolve(reply)),
        reject,
      });
      socket.write(Buffer.concat(chunks));
    });
  }

  close(): void {
    this.closedOnPurpose = true;
    this.socket?.end();
  }

  /** A fresh, unconnected client to the same server (BullMQ's blocking and reconnected connections). */
  duplicate(): Promise<this> {
    return Promise.resolve(new RedisWire(this.address) as this);
  }

  // The three commands the adapter calls by name rather than through `send`.
  get(key: string): Promise<string | null> { return this.send('GET', [key]) as Promise<string | null>; }
  smembers(key: string): Promise<string[]> { return this.send('SMEMBERS', [key]) as Promise<string[]>; }
  incr(key: string): Promise<number> { return this.send('INCR', [key]) as Promise<number>; }

  private receive(data: Buffer): void {
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, data]) : data;
    let offset = 0;
    for (;;) {
      const parsed = parseReply(this.buffer, offset);
      if (parsed === INCOMPLETE) break;
      offset = parsed.end;
      this.pending.shift()?.resolve(parsed.reply);
    }
    this.buffer = this.buffer.subarray(offset);
  }
}

function parseReply(buffer: Buffer, start: number): { reply: Reply; end: number } | typeof INCOMPLETE {
  const lineEnd = buffer.indexOf('\r\n', start);
  if (lineEnd < 0) return INCOMPLETE;
  const line = buffer.toString('utf8', start + 1, lineEnd);
  const next = lineEnd + 2;
  switch (buffer[start]) {
    case 0x2b: return { reply: line, end: next };                     // +simple string
    case 0x2d: return { reply: new Error(line), end: next };          // -error
    case 0x3a: return { reply: Number(line), end: next };             // :integer
    case 0x24: {                                                      // $bulk string
      const length = Number(line);
      if (length < 0) return { reply: null, end: next };
      if (buffer.length < next + length + 2) return INCOMPLETE;
      return { reply: buffer.toString('utf8', next, next + length), end: next + length + 2 };
    }
    case 0x2a: {                                                      // *array
      const count = Number(line);
      if (count < 0) return { reply: null, end: next };
      const items: Reply[] = [];
      let at = next;
      for (let i = 0; i < count; i++) {
        const item = parseReply(buffer, at);
        if (item === INCOMPLETE) return INCOMPLETE;
        items.push(item.reply);
        at = item.end;
      }
      return { reply: items, end: at };
    }
    default:
      throw new Error(`Unexpected Redis reply type "${String.fromCharCode(buffer[start]!)}"`);
  }
}
