package studio.grounding.interchange;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Optional;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

import studio.grounding.dataset.ImageOrientation;

/**
 * Looks up the pixel size of an image by file name; {@link RefCocogReader} needs it because RefCOCOg GCG files
 * store polygons but no image size.
 */
@FunctionalInterface
public interface ImageDimensions {

    /** Image size in pixels. */
    record Size(int height, int width) {
    }

    /** The size of image {@code fileName}, or empty when it is unknown (missing or unreadable image). */
    Optional<Size> lookup(String fileName);

    /**
     * Sizes read from the image headers in {@code imagesDirectory} with {@code javax.imageio}: only the header is
     * decoded, not the pixels. The size is in the EXIF-oriented frame of a JPEG ({@link ImageOrientation}), as
     * cv2.imread and browsers show it and as the platform stores it (PIL's {@code Image.open(...).size}, which the
     * RefCOCOg loader uses, ignores orientation; COCO images carry none in practice). File names that would leave
     * the directory give empty.
     */
    static ImageDimensions fromDirectory(Path imagesDirectory) {
        Path root = imagesDirectory.toAbsolutePath().normalize();
        return fileName -> {
            Path file;
            try {
                file = root.resolve(fileName).normalize();
            } catch (java.nio.file.InvalidPathException e) {
                return Optional.empty();
            }
            if (!file.startsWith(root) || !Files.isRegularFile(file)) {
                return Optional.empty();
            }
            try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
                if (in == null) {
                    return Optional.empty();
                }
                Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
                if (!readers.hasNext()) {
                    return Optional.empty();
                }
                ImageReader reader = readers.next();
                try {
                    reader.setInput(in, true, true);
                    boolean jpeg = java.util.Arrays.asList(reader.getOriginatingProvider().getMIMETypes())
                            .contains("image/jpeg");
                    if (jpeg && ImageOrientation.swapsAxes(ImageOrientation.of(file))) {
                        return Optional.of(new Size(reader.getWidth(0), reader.getHeight(0)));
                    }
                    return Optional.of(new Size(reader.getHeight(0), reader.getWidth(0)));
                } finally {
                    reader.dispose();
                }
            } catch (IOException | RuntimeException e) {
                return Optional.empty();
            }
        };
    }
}
