// A small zip reader for the tests (a .vsix is a zip): the central directory's entries, each inflated
// on demand. Stored and deflated entries only, no zip64: what vsce writes.
import * as zlib from 'node:zlib';

export interface ZipEntry {
  name: string;
  size: number;
  read(): Buffer;
}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

/** The entries of the zip archive `buf`, by name; throws on anything that is not a plain zip. */
export function readZip(buf: Buffer): Map<string, ZipEntry> {
  // The end-of-central-directory record sits in the last 22 + (up to 65,535 comment) bytes.
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 0xffff); i--) {
    if (buf.readUInt32LE(i) === EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error('not a zip archive (no end-of-central-directory record)');
  const count = buf.readUInt16LE(eocd + 10);
  let at = buf.readUInt32LE(eocd + 16);
  const entries = new Map<string, ZipEntry>();
  for (let n = 0; n < count; n++) {
    if (buf.readUInt32LE(at) !== CENTRAL) throw new Error(`bad central directory entry at ${at}`);
    const method = buf.readUInt16LE(at + 10);
    const compressed = buf.readUInt32LE(at + 20);
    const size = buf.readUInt32LE(at + 24);
    const nameLen = buf.readUInt16LE(at + 28);
    const extraLen = buf.readUInt16LE(at + 30);
    const commentLen = buf.readUInt16LE(at + 32);
    const local = buf.readUInt32LE(at + 42);
    const name = buf.toString('utf8', at + 46, at + 46 + nameLen);
    at += 46 + nameLen + extraLen + commentLen;
    if (method !== 0 && method !== 8) throw new Error(`${name}: compression method ${method} is not supported`);
    entries.set(name, {
      name,
      size,
      read() {
        if (buf.readUInt32LE(local) !== LOCAL) throw new Error(`${name}: bad local header at ${local}`);
        const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
        const data = buf.subarray(start, start + compressed);
        const out = method === 0 ? Buffer.from(data) : zlib.inflateRawSync(data);
        if (out.length !== size) throw new Error(`${name}: ${out.length} bytes, the directory says ${size}`);
        return out;
      },
    });
  }
  return entries;
}
