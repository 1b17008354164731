/**
 * COCO run-length encoding, as pycocotools' C core (maskApi.c) writes and reads it.
 *
 * A mask of height h and width w is a list of run lengths over the pixels in column-major order (pixel (row y,
 * column x) has index x * h + y), alternating background / foreground and starting with background (the first run
 * may be 0). The compressed string (rleToString) stores each count in 5-bit groups, low group first, as the
 * characters 48 + group; 0x20 marks "more groups follow", bit 0x10 of the last group is the sign; from the fourth
 * count on (index > 2) the value stored is the difference to the count two before.
 *
 * Bitmaps here are row-major Uint8Array (index y * w + x, 1 = mask), as the canvas uses them.
 *
 * Pure module without imports: Node runs it directly (type stripping) in the tests.
 */

/** Decodes a compressed RLE string (pycocotools rleFrString) into run lengths. */
export function rleCountsFromString(s: string): number[] {
  const counts: number[] = [];
  let p = 0;
  while (p < s.length) {
    let x = 0;
    let k = 0;
    let more = true;
    while (more) {
      if (p >= s.length) {
        throw new Error('truncated RLE string');
      }
      const c = s.charCodeAt(p) - 48;
      if (c < 0 || c > 63) {
        throw new Error(`invalid RLE character '${s[p]}' at ${p}`);
      }
      // arithmetic, not 32-bit shifts: values of large images need more than 32 bits of groups
      x += (c & 0x1f) * 2 ** (5 * k);
      more = (c & 0x20) !== 0;
      p++;
      k++;
      if (!more && (c & 0x10) !== 0) {
        x -= 2 ** (5 * k);
      }
    }
    if (counts.length > 2) {
      x += counts[counts.length - 2];
    }
    counts.push(x);
  }
  return counts;
}

/** Encodes run lengths as a compressed RLE string, exactly as pycocotools rleToString. */
export function rleCountsToString(counts: ArrayLike<number>): string {
  const chars: number[] = [];
  for (let i = 0; i < counts.length; i++) {
    let x = counts[i];
    if (i > 2) {
      x -= counts[i - 2];
    }
    let more = true;
    while (more) {
      // x & 0x1f and an arithmetic shift by 5, in floating point so nothing overflows 32 bits
      const q = Math.floor(x / 32);
      let c = x - q * 32;
      x = q;
      more = (c & 0x10) !== 0 ? x !== -1 : x !== 0;
      if (more) {
        c |= 0x20;
      }
      chars.push(c + 48);
    }
  }
  let s = '';
  for (let i = 0; i < chars.length; i += 4096) {
    s += String.fromCharCode(...chars.slice(i, i + 4096));
  }
  return s;
}

/**
 * Run lengths of a row-major bitmap, in COCO's column-major order (background first). The counts sum to h * w;
 * only the first may be 0 (pycocotools rleEncode).
 */
export function bitmapToRleCounts(bitmap: Uint8Array, height: number, width: number): number[] {
  checkSize(bitmap, height, width);
  const counts: number[] = [];
  let current = 0;
  let run = 0;
  for (let x = 0; x < width; x++) {
    for (let i = x, end = x + height * width; i < end; i += width) {
      const v = bitmap[i] !== 0 ? 1 : 0;
      if (v !== current) {
        counts.push(run);
        run = 0;
        current = v;
      }
      run++;
    }
  }
  counts.push(run);
  return counts;
}

/**
 * Writes run lengths into a row-major bitmap (1 = mask, 0 elsewhere). Counts beyond h * w are ignored; missing
 * counts leave background. Returns the bitmap.
 *
 * Writing each run's pixels down its column into a row-major bitmap would touch a new cache line for every
 * pixel. Instead the runs become toggle events (a column enters the mask at one row and leaves it at another),
 * and a sweep down the rows keeps one row of per-column state, applies the row's toggles and copies the state
 * into the bitmap row (memcpy speed) over the mask's columns: O(runs + rows × mask width).
 */
export function rleCountsToBitmap(
  counts: ArrayLike<number>,
  height: number,
  width: number,
  into?: Uint8Array,
): Uint8Array {
  // a fresh array is all zero already (and untouched pages cost nothing until written)
  const bitmap = into ?? new Uint8Array(height * width);
  if (into) {
    checkSize(bitmap, height, width);
    bitmap.fill(0);
  }
  return runsInto(counts, height, width, bitmap);
}

/** Writes the mask runs into an all-zero row-major bitmap of the right size. */
function runsInto(counts: ArrayLike<number>, height: number, width: number, bitmap: Uint8Array): Uint8Array {
  const n = height * width;
  // pass 1: the column segments of the mask runs, as toggles (row, column), counted per row
  const perRow = new Int32Array(height + 1);
  let events = 0;
  let x0 = width;
  let x1 = -1;
  let y0 = height;
  let y1 = -1;
  const forSegments = (visit: (x: number, ya: number, yb: number) => void) => {
    let i = 0;
    for (let r = 0; r < counts.length && i < n; r++) {
      const end = Math.min(n, i + Math.max(0, counts[r]));
      if (r % 2 === 1) {
        let p = i;
        while (p < end) {
          const x = Math.floor(p / height);
          const ya = p - x * height;
          const yb = Math.min(height, ya + (end - p));
          visit(x, ya, yb);
          p += yb - ya;
        }
      }
      i = end;
    }
  };
  forSegments((x, ya, yb) => {
    perRow[ya]++;
    perRow[yb]++;
    events += 2;
    if (x < x0) x0 = x;
    if (x > x1) x1 = x;
    if (ya < y0) y0 = ya;
    if (yb - 1 > y1) y1 = yb - 1;
  });
  if (x1 < 0) {
    return bitmap;
  }
  // pass 2: bucket the toggles' columns by row (counting sort)
  const start = new Int32Array(height + 2);
  for (let y = 0; y <= height; y++) {
    start[y + 1] = start[y] + perRow[y];
  }
  const fill = start.slice(0, height + 1);
  const columns = new Int32Array(events);
  forSegments((x, ya, yb) => {
    columns[fill[ya]++] = x;
    columns[fill[yb]++] = x;
  });
  // pass 3: sweep the rows, toggling columns in and out, copying the state row into the bitmap
  const state = new Uint8Array(width);
  const span = state.subarray(x0, x1 + 1);
  for (let y = y0; y <= y1; y++) {
    for (let k = start[y], end = start[y + 1]; k < end; k++) {
      state[columns[k]] ^= 1;
    }
    bitmap.set(span, y * width + x0);
  }
  return bitmap;
}

/** Decodes a COCO compressed RLE string into a row-major bitmap (1 = mask), height × width. */
export function decodeRle(counts: string, height: number, width: number): Uint8Array {
  return rleCountsToBitmap(rleCountsFromString(counts), height, width);
}

/** Largest ArrayBuffer decodeRleMasks allocates at once. */
const BATCH_BYTES = 256 * 1024 * 1024;

/**
 * Decodes the masks of one image (all height × width): a bitmap and tight bounds for each, in order. The bitmaps
 * share few large buffers (one allocation instead of one per mask: allocating many image-sized arrays one by one
 * costs more than decoding them). A malformed string throws, naming its index.
 */
export function decodeRleMasks(
  counts: readonly string[],
  height: number,
  width: number,
): { bitmap: Uint8Array; bounds: { x: number; y: number; w: number; h: number } | null }[] {
  const n = height * width;
  const perBuffer = Math.max(1, Math.floor(BATCH_BYTES / Math.max(1, n)));
  let buffer: ArrayBuffer | null = null;
  let used = 0;
  return counts.map((s, i) => {
    let runs: number[];
    try {
      runs = rleCountsFromString(s);
    } catch (e) {
      throw new Error(`mask ${i}: ${(e as Error).message}`);
    }
    if (!buffer || used === perBuffer) {
      buffer = new ArrayBuffer(n * Math.min(perBuffer, counts.length - i));
      used = 0;
    }
    const bitmap = runsInto(runs, height, width, new Uint8Array(buffer, used * n, n));
    used++;
    return { bitmap, bounds: rleBounds(runs, height, width) };
  });
}

/** Encodes a row-major bitmap (non-zero = mask) as a COCO compressed RLE string. */
export function encodeRle(bitmap: Uint8Array, height: number, width: number): string {
  return rleCountsToString(bitmapToRleCounts(bitmap, height, width));
}

/** The number of mask pixels of compressed RLE counts, without decoding to a bitmap. */
export function rleArea(counts: ArrayLike<number>): number {
  let area = 0;
  for (let r = 1; r < counts.length; r += 2) {
    area += counts[r];
  }
  return area;
}

function checkSize(bitmap: Uint8Array, height: number, width: number) {
  if (!(height >= 0 && width >= 0) || bitmap.length !== height * width) {
    throw new Error(`bitmap has ${bitmap.length} pixels, expected ${height} x ${width}`);
  }
}

/**
 * Tight bounds {x, y, w, h} of the mask pixels of run lengths (height × width image), null when empty; O(runs), so
 * the canvas need not scan a decoded bitmap for them.
 */
export function rleBounds(
  counts: ArrayLike<number>,
  height: number,
  width: number,
): { x: number; y: number; w: number; h: number } | null {
  const n = height * width;
  let i = 0;
  let x0 = Infinity;
  let x1 = -1;
  let y0 = Infinity;
  let y1 = -1;
  for (let r = 0; r < counts.length && i < n; r++) {
    const end = Math.min(n, i + Math.max(0, counts[r]));
    if (r % 2 === 1 && end > i) {
      const xa = Math.floor(i / height);
      const xb = Math.floor((end - 1) / height);
      x0 = Math.min(x0, xa);
      x1 = Math.max(x1, xb);
      if (xa !== xb) {
        // the run wraps over a column end: it covers the top and the bottom row of some column
        y0 = 0;
        y1 = height - 1;
      } else {
        y0 = Math.min(y0, i - xa * height);
        y1 = Math.max(y1, end - 1 - xa * height);
      }
    }
    i = end;
  }
  return x1 < 0 ? null : { x: x0, y: y0, w: x1 - x0 + 1, h: y1 - y0 + 1 };
}
