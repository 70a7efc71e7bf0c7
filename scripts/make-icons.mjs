// The portal's home-screen icons (static/img/icon-192.png, icon-512.png), drawn from the favicon's
// design — the white M and the orange bar on green — with the whole square green and the mark
// inside the central 80 % circle, so the same file serves as a maskable icon. Each pixel is
// sampled 4 × 4 times; the few shades that gives are written as an indexed PNG (a few KB).
//   node scripts/make-icons.mjs
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const OUT = join(dirname(fileURLToPath(import.meta.url)), '..', 'static', 'img');
const GREEN = [0x00, 0x6b, 0x3f];
const WHITE = [0xff, 0xff, 0xff];
const ORANGE = [0xf7, 0x7f, 0x00];

// The favicon's M (its 32-unit box), scaled by 0.75 about the centre and raised 1.5 units.
const M = [[8, 24], [8, 8], [11.5, 8], [16, 16], [20.5, 8], [24, 8], [24, 24], [20.8, 24], [20.8, 14], [16, 22.4], [11.2, 14], [11.2, 24]]
  .map(([x, y]) => [16 + (x - 16) * 0.75, 16 + (y - 16) * 0.75 - 1.5]);
const BAR = { x0: 8.5, x1: 23.5, y0: 22, y1: 23.5 };

function insidePolygon(x, y, points) {
  let inside = false;
  for (let i = 0, j = points.length - 1; i < points.length; j = i++) {
    const [xi, yi] = points[i];
    const [xj, yj] = points[j];
    if ((yi > y) !== (yj > y) && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

const SAMPLES = 4;
const LEVELS = SAMPLES * SAMPLES;
// Palette: green mixed with white in 17 steps, then with orange in 17 steps.
const palette = [];
for (const ink of [WHITE, ORANGE]) {
  for (let k = 0; k <= LEVELS; k++) palette.push(GREEN.map((g, c) => Math.round(g + ((ink[c] - g) * k) / LEVELS)));
}

function crc32(bytes) {
  let c = ~0;
  for (const b of bytes) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}

function chunk(type, data) {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

function icon(size) {
  const rows = [];
  for (let py = 0; py < size; py++) {
    const row = Buffer.alloc(size + 1);
    for (let px = 0; px < size; px++) {
      let white = 0;
      let orange = 0;
      for (let sy = 0; sy < SAMPLES; sy++) {
        for (let sx = 0; sx < SAMPLES; sx++) {
          const x = ((px + (sx + 0.5) / SAMPLES) * 32) / size;
          const y = ((py + (sy + 0.5) / SAMPLES) * 32) / size;
          if (insidePolygon(x, y, M)) white++;
          else if (x >= BAR.x0 && x < BAR.x1 && y >= BAR.y0 && y < BAR.y1) orange++;
        }
      }
      row[px + 1] = orange > white ? LEVELS + 1 + orange : white;
    }
    rows.push(row);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 3; // indexed colour
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('PLTE', Buffer.from(palette.flat())),
    chunk('IDAT', deflateSync(Buffer.concat(rows), { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

for (const size of [192, 512]) {
  const png = icon(size);
  writeFileSync(join(OUT, `icon-${size}.png`), png);
  console.log(`static/img/icon-${size}.png: ${png.length} bytes`);
}
