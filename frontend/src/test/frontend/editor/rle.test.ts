// COCO RLE codec of the mask editor against pycocotools' own output (rle-vectors.json, copied from the project's
// spec: every mask and codec case) and a seeded round-trip property. Run: node --test frontend/src/test/frontend/
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  bitmapToRleCounts,
  decodeRle,
  decodeRleMasks,
  encodeRle,
  rleArea,
  rleBounds,
  rleCountsFromString,
  rleCountsToBitmap,
  rleCountsToString,
} from '../../../main/frontend/editor/rle.ts';

interface MaskCase {
  id: string;
  h: number;
  w: number;
  cnts: number[];
  counts: string;
  area: number;
  bbox: [number, number, number, number];
}

const vectors = JSON.parse(readFileSync(new URL('./rle-vectors.json', import.meta.url), 'utf8')) as {
  masks: MaskCase[];
  codec: { cnts: number[]; counts: string }[];
};

/** Reference decode straight from the definition: pixel (y, x) has column-major index x * h + y. */
function referenceBitmap(cnts: number[], h: number, w: number): Uint8Array {
  const out = new Uint8Array(h * w);
  let i = 0;
  cnts.forEach((run, r) => {
    for (let k = 0; k < run; k++, i++) {
      if (r % 2 === 1) {
        const x = Math.floor(i / h);
        const y = i - x * h;
        out[y * w + x] = 1;
      }
    }
  });
  return out;
}

test('there are vectors', () => {
  assert.equal(vectors.masks.length, 51);
  assert.equal(vectors.codec.length, 9);
});

for (const m of vectors.masks) {
  test(`mask ${m.id}: string decodes to pycocotools counts and pixels`, () => {
    assert.deepEqual(rleCountsFromString(m.counts), m.cnts);
    const bitmap = decodeRle(m.counts, m.h, m.w);
    assert.equal(bitmap.length, m.h * m.w);
    assert.deepEqual(bitmap, referenceBitmap(m.cnts, m.h, m.w));
    assert.equal(bitmap.reduce((s, v) => s + v, 0), m.area);
    assert.equal(rleArea(m.cnts), m.area);
  });

  test(`mask ${m.id}: bitmap encodes to exactly pycocotools' counts and string`, () => {
    const bitmap = referenceBitmap(m.cnts, m.h, m.w);
    assert.deepEqual(bitmapToRleCounts(bitmap, m.h, m.w), m.cnts);
    assert.equal(encodeRle(bitmap, m.h, m.w), m.counts);
    assert.equal(rleCountsToString(m.cnts), m.counts);
  });

  test(`mask ${m.id}: bounds from the runs equal pycocotools' bbox`, () => {
    const b = rleBounds(m.cnts, m.h, m.w);
    if (m.area === 0) {
      assert.equal(b, null);
    } else {
      assert.deepEqual([b!.x, b!.y, b!.w, b!.h], m.bbox);
    }
  });
}

for (const c of vectors.codec) {
  test(`codec ${JSON.stringify(c.cnts)} <-> '${c.counts}'`, () => {
    assert.equal(rleCountsToString(c.cnts), c.counts);
    assert.deepEqual(rleCountsFromString(c.counts), c.cnts);
  });
}

test('decoding rejects characters outside the alphabet and truncated strings', () => {
  assert.throws(() => rleCountsFromString('12 3'), /invalid RLE character/);
  assert.throws(() => rleCountsFromString('0o'), /truncated/);
});

test('bitmaps of the wrong size are refused', () => {
  assert.throws(() => encodeRle(new Uint8Array(5), 2, 3), /expected 2 x 3/);
});

/** xorshift32: a small seeded generator, so a failure can be replayed. */
function random(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 4294967296;
  };
}

test('encode then decode gives the bitmap back (500 random bitmaps, seed 20261122)', () => {
  const rnd = random(20261122);
  for (let n = 0; n < 500; n++) {
    const h = 1 + Math.floor(rnd() * 40);
    const w = 1 + Math.floor(rnd() * 40);
    const bitmap = new Uint8Array(h * w);
    // runs of random length with random density, so both long runs and noise occur
    const density = rnd();
    let i = 0;
    while (i < bitmap.length) {
      const len = 1 + Math.floor(rnd() * (rnd() < 0.5 ? 3 : h * 2));
      bitmap.fill(rnd() < density ? 1 : 0, i, Math.min(bitmap.length, i + len));
      i += len;
    }
    const s = encodeRle(bitmap, h, w);
    assert.deepEqual(decodeRle(s, h, w), bitmap, `case ${n}: ${h}x${w} '${s}'`);
    const counts = rleCountsFromString(s);
    assert.equal(counts.reduce((a, b) => a + b, 0), h * w);
    assert.ok(counts.slice(1).every((c) => c > 0), 'only the first run may be 0');
    assert.deepEqual(rleCountsToBitmap(counts, h, w), bitmap);
  }
});

test('decodeRleMasks decodes every mask of an image with its bounds; a bad string names its index', () => {
  const same = vectors.masks.filter((m) => m.h === 1500 && m.w === 2250);
  assert.ok(same.length >= 4);
  const decoded = decodeRleMasks(
    same.map((m) => m.counts),
    1500,
    2250,
  );
  decoded.forEach((d, i) => {
    assert.deepEqual(d.bitmap, referenceBitmap(same[i].cnts, 1500, 2250), same[i].id);
    const b = d.bounds;
    assert.deepEqual(b ? [b.x, b.y, b.w, b.h] : [0, 0, 0, 0], same[i].bbox, same[i].id);
  });
  assert.throws(() => decodeRleMasks(['01', '0 1'], 1, 2), /mask 1: invalid RLE character/);
});
