package studio.grounding.bench;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.Adler32;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Distinct, valid PNG files of one size, fast enough for 214K of them: an 8-bit grayscale image whose first
 * {@link #NOISE_ROWS} rows are pseudo-random pixels seeded by the image's number (so every file has its own
 * content hash) and whose other rows are a fixed pattern. The pattern's deflate stream is compressed once and
 * appended after the noise rows' stream (ended with a full flush, so it never refers back), which keeps a
 * 2250×1500 image at about 1 ms and ~15 KB. Any PNG reader decodes them (the benchmark decodes the first
 * one with ImageIO and checks its size and pixels).
 */
final class DistinctPngs {

    static final int NOISE_ROWS = 4;
    private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    private final int width;
    private final int height;
    private final byte[] patternRaw; // filter byte + pixels for rows NOISE_ROWS..height-1
    private final byte[] patternDeflated; // raw deflate, final block

    DistinctPngs(int width, int height) {
        this.width = width;
        this.height = height;
        int stride = width + 1;
        patternRaw = new byte[(height - NOISE_ROWS) * stride];
        for (int y = NOISE_ROWS; y < height; y++) {
            int o = (y - NOISE_ROWS) * stride;
            patternRaw[o] = 0; // filter: none
            // horizontal bands: each row is one value, so it deflates to almost nothing; still not a flat field
            java.util.Arrays.fill(patternRaw, o + 1, o + 1 + width, (byte) (96 + 64 * ((y / 100) & 1)));
        }
        patternDeflated = deflate(patternRaw, true);
    }

    /** The PNG file of image number {@code index}. */
    byte[] png(long index) {
        int stride = width + 1;
        byte[] noise = new byte[NOISE_ROWS * stride];
        long x = 0x9E3779B97F4A7C15L ^ (index * 0xD1B54A32D192ED03L);
        for (int y = 0; y < NOISE_ROWS; y++) {
            noise[y * stride] = 0;
            for (int i = 1; i < stride; i++) {
                x ^= x << 13;
                x ^= x >>> 7;
                x ^= x << 17;
                noise[y * stride + i] = (byte) x;
            }
        }
        byte[] head = deflate(noise, false);
        Adler32 adler = new Adler32();
        adler.update(noise);
        adler.update(patternRaw);
        ByteArrayOutputStream zlib = new ByteArrayOutputStream(head.length + patternDeflated.length + 6);
        zlib.write(0x78);
        zlib.write(0x01);
        zlib.writeBytes(head);
        zlib.writeBytes(patternDeflated);
        zlib.writeBytes(ByteBuffer.allocate(4).putInt((int) adler.getValue()).array());

        ByteArrayOutputStream png = new ByteArrayOutputStream(zlib.size() + 64);
        png.writeBytes(SIGNATURE);
        chunk(png, "IHDR", ByteBuffer.allocate(13).putInt(width).putInt(height)
                .put((byte) 8).put((byte) 0).put((byte) 0).put((byte) 0).put((byte) 0).array());
        chunk(png, "IDAT", zlib.toByteArray());
        chunk(png, "IEND", new byte[0]);
        return png.toByteArray();
    }

    /** Raw deflate: the final block if {@code last}, else ended with a full flush (byte-aligned, no back-references after it). */
    private static byte[] deflate(byte[] data, boolean last) {
        Deflater d = new Deflater(1, true);
        try {
            d.setInput(data);
            if (last) {
                d.finish();
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[64 * 1024];
            while (true) {
                int n = d.deflate(buf, 0, buf.length, last ? Deflater.NO_FLUSH : Deflater.FULL_FLUSH);
                out.write(buf, 0, n);
                if (last ? d.finished() : n < buf.length) {
                    break;
                }
            }
            return out.toByteArray();
        } finally {
            d.end();
        }
    }

    private static void chunk(ByteArrayOutputStream png, String type, byte[] data) {
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        png.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        png.writeBytes(t);
        png.writeBytes(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        png.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }
}
