package studio.grounding.dataset;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import com.drew.imaging.ImageMetadataReader;
import com.drew.imaging.ImageProcessingException;
import com.drew.metadata.Metadata;
import com.drew.metadata.MetadataException;
import com.drew.metadata.exif.ExifIFD0Directory;

/**
 * The EXIF orientation of a JPEG (tag 0x0112 in IFD0, values 1 to 8), read with metadata-extractor. Browsers and
 * GLaMM's {@code cv2.imread} show a JPEG in its oriented frame, so GLaMM's masks are in that frame; ImageIO ignores
 * the tag. The platform stores the oriented size, checks masks against it and gives the worker oriented pixels.
 *
 * <p>Only JPEGs are oriented (cv2.imread reads EXIF from JPEGs); any other format, a missing or unreadable tag, or a
 * value outside 1..8 is orientation 1 (as stored).
 */
public final class ImageOrientation {

    /** As stored. */
    public static final int NORMAL = 1;

    private ImageOrientation() {
    }

    /** The orientation of a JPEG file, {@link #NORMAL} otherwise. */
    public static int of(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return of(in);
        } catch (IOException e) {
            return NORMAL;
        }
    }

    /** The orientation of JPEG bytes, {@link #NORMAL} otherwise. */
    public static int of(InputStream in) {
        try {
            Metadata metadata = ImageMetadataReader.readMetadata(in);
            for (ExifIFD0Directory d : metadata.getDirectoriesOfType(ExifIFD0Directory.class)) {
                if (d.containsTag(ExifIFD0Directory.TAG_ORIENTATION)) {
                    int o = d.getInt(ExifIFD0Directory.TAG_ORIENTATION);
                    return o >= 1 && o <= 8 ? o : NORMAL;
                }
            }
            return NORMAL;
        } catch (ImageProcessingException | MetadataException | IOException | RuntimeException e) {
            return NORMAL;
        }
    }

    /** Whether the orientation swaps width and height (5 to 8: a quarter turn, with or without a mirror). */
    public static boolean swapsAxes(int orientation) {
        return orientation >= 5 && orientation <= 8;
    }

    /**
     * The stored pixels turned into the oriented frame: 2 mirror left-right, 3 turn 180, 4 mirror top-bottom,
     * 5 transpose, 6 turn 90 clockwise, 7 transverse, 8 turn 90 counter-clockwise.
     */
    public static BufferedImage apply(BufferedImage src, int orientation) {
        if (orientation <= NORMAL || orientation > 8) {
            return src;
        }
        int w = src.getWidth();
        int h = src.getHeight();
        boolean swap = swapsAxes(orientation);
        int ow = swap ? h : w;
        int oh = swap ? w : h;
        int type = src.getType() == BufferedImage.TYPE_CUSTOM ? BufferedImage.TYPE_INT_RGB : src.getType();
        BufferedImage out = new BufferedImage(ow, oh, type);
        for (int oy = 0; oy < oh; oy++) {
            for (int ox = 0; ox < ow; ox++) {
                int sx;
                int sy;
                switch (orientation) {
                    case 2 -> { sx = w - 1 - ox; sy = oy; }
                    case 3 -> { sx = w - 1 - ox; sy = h - 1 - oy; }
                    case 4 -> { sx = ox; sy = h - 1 - oy; }
                    case 5 -> { sx = oy; sy = ox; }
                    case 6 -> { sx = oy; sy = h - 1 - ox; }
                    case 7 -> { sx = w - 1 - oy; sy = h - 1 - ox; }
                    default -> { sx = w - 1 - oy; sy = ox; } // 8
                }
                out.setRGB(ox, oy, src.getRGB(sx, sy));
            }
        }
        return out;
    }
}
