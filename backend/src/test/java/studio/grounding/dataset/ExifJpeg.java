package studio.grounding.dataset;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import javax.imageio.ImageIO;

/**
 * Test JPEGs with an EXIF orientation: ImageIO writes the JPEG, then an APP1 segment {@code Exif\0\0} + a big-endian
 * TIFF header with one IFD0 entry, Orientation (0x0112, SHORT, 1 value), is inserted right after SOI.
 */
public final class ExifJpeg {

    /** Colour of the marked top-left block of the stored pixels. */
    public static final int MARK = 0xff0000;
    /** Side of the marked block (one JPEG block, so compression keeps it red). */
    public static final int BLOCK = 8;

    private ExifJpeg() {
    }

    /**
     * A {@code width} x {@code height} stored image, white with a red {@link #BLOCK}-pixel square at its stored
     * top-left, tagged with {@code orientation} (0 = no EXIF segment at all).
     */
    public static byte[] bytes(int width, int height, int orientation) {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                img.setRGB(x, y, x < BLOCK && y < BLOCK ? MARK : 0xffffff);
            }
        }
        ByteArrayOutputStream jpeg = new ByteArrayOutputStream();
        try {
            ImageIO.write(img, "jpg", jpeg);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        byte[] plain = jpeg.toByteArray();
        if (orientation == 0) {
            return plain;
        }
        byte[] tiff = {'M', 'M', 0, 42, 0, 0, 0, 8, // header, IFD0 at offset 8
                0, 1, // one entry
                0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, (byte) orientation, 0, 0, // Orientation, SHORT, count 1, value
                0, 0, 0, 0}; // no next IFD
        byte[] exif = {'E', 'x', 'i', 'f', 0, 0};
        int length = 2 + exif.length + tiff.length;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(plain, 0, 2); // SOI
        out.write(0xFF);
        out.write(0xE1);
        out.write(length >> 8);
        out.write(length & 0xFF);
        out.writeBytes(exif);
        out.writeBytes(tiff);
        out.write(plain, 2, plain.length - 2);
        return out.toByteArray();
    }

    /** Writes {@link #bytes} to {@code file}. */
    public static Path write(Path file, int width, int height, int orientation) {
        try {
            return Files.write(file, bytes(width, height, orientation));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether a pixel is the red mark (JPEG changes colours a little). */
    public static boolean isMark(int rgb) {
        int r = (rgb >> 16) & 0xff;
        int g = (rgb >> 8) & 0xff;
        int b = rgb & 0xff;
        return r > 200 && g < 60 && b < 60;
    }
}
