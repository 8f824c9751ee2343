// Generates media/icon.png (128×128, RGBA) with no dependencies: `node media/make-icon.js`.
// A document with text lines under a lens, on a rounded dark-blue square; 4×4 supersampled.
const fs = require('node:fs');
const path = require('node:path');
const zlib = require('node:zlib');

const N = 128;
const SS = 4;
const bg = [30, 42, 58];
const paper = [236, 240, 245];
const ink = [120, 134, 152];
const lens = [56, 189, 248];

function roundRect(x, y, x0, y0, x1, y1, r) {
  const cx = Math.min(Math.max(x, x0 + r), x1 - r);
  const cy = Math.min(Math.max(y, y0 + r), y1 - r);
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
}
function segDist(x, y, ax, ay, bx, by) {
  const dx = bx - ax, dy = by - ay;
  const t = Math.max(0, Math.min(1, ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(x - ax - t * dx, y - ay - t * dy);
}
/** Colour (RGBA) of one sample point. */
function sample(x, y) {
  if (!roundRect(x, y, 0, 0, N, N, 24)) return [0, 0, 0, 0];
  let c = bg;
  // document with a folded corner
  const inDoc = x >= 26 && x <= 86 && y >= 18 && y <= 108 && !(x - 70 > y - 18 && y < 34);
  if (inDoc) c = paper;
  if (x >= 70 && x <= 86 && y >= 18 && y <= 34 && x - 70 <= y - 18) c = [200, 208, 220];
  for (const [ly, len] of [[46, 42], [58, 34], [70, 26], [82, 20]]) {
    if (inDoc && y >= ly && y <= ly + 5 && x >= 36 && x <= 36 + len) c = ink;
  }
  // lens: ring and handle
  const d = Math.hypot(x - 80, y - 80);
  if (d <= 17) c = c === bg ? [38, 70, 96] : c.map((v, i) => Math.round(v * 0.7 + lens[i] * 0.3));
  if (d > 17 && d <= 24) c = lens;
  if (segDist(x, y, 97, 97, 112, 112) <= 6) c = lens;
  return [...c, 255];
}

const raw = Buffer.alloc(N * (N * 4 + 1));
for (let y = 0; y < N; y++) {
  raw[y * (N * 4 + 1)] = 0; // filter: none
  for (let x = 0; x < N; x++) {
    const acc = [0, 0, 0, 0];
    for (let sy = 0; sy < SS; sy++) {
      for (let sx = 0; sx < SS; sx++) {
        const s = sample(x + (sx + 0.5) / SS, y + (sy + 0.5) / SS);
        for (let i = 0; i < 3; i++) acc[i] += s[i] * s[3];
        acc[3] += s[3];
      }
    }
    const o = y * (N * 4 + 1) + 1 + x * 4;
    for (let i = 0; i < 3; i++) raw[o + i] = acc[3] ? Math.round(acc[i] / acc[3]) : 0;
    raw[o + 3] = Math.round(acc[3] / (SS * SS));
  }
}

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (buf) => {
  let c = 0xffffffff;
  for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}
const ihdr = Buffer.alloc(13);
ihdr.writeUInt32BE(N, 0);
ihdr.writeUInt32BE(N, 4);
ihdr[8] = 8; // bit depth
ihdr[9] = 6; // RGBA
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', ihdr),
  chunk('IDAT', zlib.deflateSync(raw, { level: 9 })),
  chunk('IEND', Buffer.alloc(0)),
]);
fs.writeFileSync(path.join(__dirname, 'icon.png'), png);
console.log(`media/icon.png: ${png.length} bytes`);
