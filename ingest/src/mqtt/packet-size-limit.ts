import type { Socket } from 'node:net';
import { Duplex } from 'node:stream';

/**
 * A client's connection as the broker reads it, ended as soon as a packet's fixed header
 * declares more than `maxBytes`. The MQTT parser aedes uses buffers a packet whole before it
 * looks at it, so a client announcing a 256 MB PUBLISH would otherwise make the broker hold it.
 */
export function limitPacketSize(socket: Socket, maxBytes: number, onRefused: (err: Error) => void): Duplex {
  const sizes = new PacketSizes(maxBytes);
  const conn = new Duplex({
    read: () => socket.resume(),
    write: (chunk: Buffer, _encoding, done) => socket.write(chunk, done),
    final: (done) => socket.end(done),
    destroy: (err, done) => {
      socket.destroy();
      done(err);
    },
  });
  socket.on('data', (chunk: Buffer) => {
    const tooLarge = sizes.scan(chunk);
    if (tooLarge) {
      onRefused(tooLarge);
      conn.destroy();
    } else if (!conn.push(chunk)) {
      socket.pause();
    }
  });
  socket.on('end', () => conn.push(null));
  // A reset or a close ends the connection; aedes sees it end, not an error to report.
  socket.on('error', () => conn.destroy());
  socket.on('close', () => conn.destroy());
  return conn;
}

/** Follows MQTT packet boundaries through a byte stream, reading each fixed header's length. */
export class PacketSizes {
  /** Bytes of the current packet's body still to come. */
  private body = 0;
  /** The remaining-length bytes of a fixed header read so far (it may span chunks). */
  private lengthBytes: number[] = [];
  private inHeader = false;

  constructor(private readonly maxBytes: number) {}

  /** An error if a packet in this chunk declares more than the limit (or a malformed length). */
  scan(chunk: Uint8Array): Error | undefined {
    let at = 0;
    while (at < chunk.length) {
      if (this.body > 0) {
        const n = Math.min(this.body, chunk.length - at);
        this.body -= n;
        at += n;
      } else if (!this.inHeader) {
        // The packet type byte.
        this.inHeader = true;
        at++;
      } else {
        const byte = chunk[at++] as number;
        this.lengthBytes.push(byte);
        if (byte & 0x80) {
          if (this.lengthBytes.length === 4) return new Error('malformed MQTT remaining length');
          continue;
        }
        const length = this.lengthBytes.reduce((sum, b, i) => sum + (b & 0x7f) * 128 ** i, 0);
        if (length > this.maxBytes) return new Error(`MQTT packet of ${length} bytes exceeds ${this.maxBytes}`);
        this.body = length;
        this.lengthBytes = [];
        this.inHeader = false;
      }
    }
    return undefined;
  }
}
