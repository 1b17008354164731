package studio.grounding.worker.model;

import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import javax.imageio.ImageIO;

/**
 * An 8-bit RGB image, row-major, channels interleaved ({@code rgb[(y*width + x)*3 + c]}) — what GLaMM's
 * {@code cv2.imread} + {@code cvtColor(BGR2RGB)} gives. Grey images are replicated to three channels (as cv2 does),
 * alpha is dropped. JPEG decoders differ by a unit here and there (ImageIO vs libjpeg-turbo); PNG is exact.
 */
public record RgbImage(int width, int height, byte[] rgb) {

    public RgbImage {
        Objects.requireNonNull(rgb, "rgb");
        if (width <= 0 || height <= 0 || (long) width * height * 3 != rgb.length) {
            throw new IllegalArgumentException("bad image " + width + "x" + height + " with " + rgb.length + " bytes");
        }
    }

    public int at(int y, int x, int c) {
        return rgb[(y * width + x) * 3 + c] & 0xFF;
    }

    public static RgbImage read(Path path) throws IOException {
        try (InputStream in = Files.newInputStream(path)) {
            return read(in, path.toString());
        }
    }

    /**
     * Decodes an image as {@code cv2.imread} does, EXIF orientation included: a JPEG tagged with orientation 2..8
     * comes out in the oriented frame (the frame GLaMM's masks and the platform's stored size are in).
     */
    public static RgbImage read(InputStream in, String name) throws IOException {
        byte[] bytes = in.readAllBytes();
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(bytes));
        if (img == null) {
            throw new IOException("not a readable image: " + name);
        }
        return of(img).oriented(ExifOrientation.of(bytes));
    }

    /**
     * These pixels in the frame of EXIF orientation {@code orientation} (1 or anything outside 2..8: unchanged):
     * 2 mirror left-right, 3 turn 180, 4 mirror top-bottom, 5 transpose, 6 turn 90 clockwise, 7 transverse,
     * 8 turn 90 counter-clockwise.
     */
    public RgbImage oriented(int orientation) {
        if (orientation < 2 || orientation > 8) {
            return this;
        }
        boolean swap = orientation >= 5;
        int ow = swap ? height : width;
        int oh = swap ? width : height;
        byte[] out = new byte[rgb.length];
        for (int oy = 0; oy < oh; oy++) {
            for (int ox = 0; ox < ow; ox++) {
                int sx;
                int sy;
                switch (orientation) {
                    case 2 -> { sx = width - 1 - ox; sy = oy; }
                    case 3 -> { sx = width - 1 - ox; sy = height - 1 - oy; }
                    case 4 -> { sx = ox; sy = height - 1 - oy; }
                    case 5 -> { sx = oy; sy = ox; }
                    case 6 -> { sx = oy; sy = height - 1 - ox; }
                    case 7 -> { sx = width - 1 - oy; sy = height - 1 - ox; }
                    default -> { sx = width - 1 - oy; sy = ox; } // 8
                }
                System.arraycopy(rgb, (sy * width + sx) * 3, out, (oy * ow + ox) * 3, 3);
            }
        }
        return new RgbImage(ow, oh, out);
    }

    public static RgbImage of(BufferedImage img) {
        int w = img.getWidth();
        int h = img.getHeight();
        byte[] out = new byte[w * h * 3];
        Raster r = img.getRaster();
        int bands = r.getNumBands();
        boolean direct = img.getColorModel() instanceof ComponentColorModel
                && r.getTransferType() == java.awt.image.DataBuffer.TYPE_BYTE;
        if (direct && (bands == 1 || bands == 2)) {
            int[] row = new int[w];
            for (int y = 0; y < h; y++) {
                r.getSamples(0, y, w, 1, 0, row);
                for (int x = 0; x < w; x++) {
                    int o = (y * w + x) * 3;
                    out[o] = out[o + 1] = out[o + 2] = (byte) row[x];
                }
            }
        } else if (direct && (bands == 3 || bands == 4)) {
            int[] px = new int[w * bands];
            for (int y = 0; y < h; y++) {
                r.getPixels(0, y, w, 1, px);
                for (int x = 0; x < w; x++) {
                    int o = (y * w + x) * 3;
                    out[o] = (byte) px[x * bands];
                    out[o + 1] = (byte) px[x * bands + 1];
                    out[o + 2] = (byte) px[x * bands + 2];
                }
            }
        } else {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int p = img.getRGB(x, y);
                    int o = (y * w + x) * 3;
                    out[o] = (byte) (p >> 16);
                    out[o + 1] = (byte) (p >> 8);
                    out[o + 2] = (byte) p;
                }
            }
        }
        return new RgbImage(w, h, out);
    }
}
