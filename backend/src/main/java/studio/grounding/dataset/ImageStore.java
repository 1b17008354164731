package studio.grounding.dataset;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.springframework.stereotype.Component;
import studio.grounding.platform.StudioProperties;

/**
 * Image files in a content-addressed store under {@code <data dir>/images}: a file's path is derived from its
 * SHA-256 only ({@code ab/cd/abcd…}), so the same photo is stored once and nothing can be read outside the
 * store — a lookup takes a hash, never a path.
 */
@Component
public class ImageStore {

    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

    private final Path root;

    public ImageStore(StudioProperties properties) {
        this.root = properties.dataDir().resolve("images").toAbsolutePath().normalize();
    }

    /**
     * Copies an image file into the store (idempotent) after checking that it is a readable image.
     *
     * @throws InvalidImageException if the file is not an image format the platform can read
     */
    public StoredImage store(Path file) {
        try {
            // hash in place first: an image already in the store (a re-run import) is neither copied nor written
            String hash;
            long size;
            try (InputStream in = Files.newInputStream(file)) {
                MessageDigest digest = sha256();
                size = in.transferTo(new DigestOutputStream(OutputStream.nullOutputStream(), digest));
                hash = HexFormat.of().formatHex(digest.digest());
            }
            ImageHeader header = readHeader(file, file.getFileName().toString());
            if (!Files.isRegularFile(pathOf(hash))) {
                copyIntoStore(file, hash);
            }
            return new StoredImage(hash, size, header.mediaType(), header.width(), header.height());
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read image file " + file, e);
        }
    }

    /**
     * Copies a file whose hash and header were just read into the store under that hash (the header is not read
     * again); a file that changed in between is refused, and nothing is stored for it.
     */
    private void copyIntoStore(Path file, String hash) throws IOException {
        Path target = pathOf(hash);
        Files.createDirectories(target.getParent());
        Path temp = Files.createTempFile(root, "incoming-", ".tmp");
        try {
            MessageDigest digest = sha256();
            try (InputStream in = Files.newInputStream(file);
                 OutputStream out = new DigestOutputStream(Files.newOutputStream(temp), digest)) {
                in.transferTo(out);
            }
            if (!HexFormat.of().formatHex(digest.digest()).equals(hash)) {
                throw new IllegalStateException("Image file " + file + " changed while it was being imported");
            }
            moveIntoPlace(temp, target);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** Stores image bytes from a stream; {@code name} is used in error messages only. */
    public StoredImage store(InputStream in, String name) {
        try {
            Files.createDirectories(root);
            Path temp = Files.createTempFile(root, "incoming-", ".tmp");
            try {
                MessageDigest digest = sha256();
                long size;
                try (OutputStream out = new DigestOutputStream(Files.newOutputStream(temp), digest)) {
                    size = in.transferTo(out);
                }
                String hash = HexFormat.of().formatHex(digest.digest());
                ImageHeader header = readHeader(temp, name);
                Path target = pathOf(hash);
                Files.createDirectories(target.getParent());
                if (!Files.exists(target)) {
                    moveIntoPlace(temp, target);
                }
                return new StoredImage(hash, size, header.mediaType(), header.width(), header.height());
            } finally {
                Files.deleteIfExists(temp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not store image " + name, e);
        }
    }

    /** The stored file for a content hash, if present. */
    public Optional<Path> find(String contentHash) {
        if (contentHash == null || !SHA256_HEX.matcher(contentHash).matches()) {
            return Optional.empty();
        }
        Path path = pathOf(contentHash);
        return Files.isRegularFile(path) ? Optional.of(path) : Optional.empty();
    }

    private Path pathOf(String hash) {
        return root.resolve(hash.substring(0, 2)).resolve(hash.substring(2, 4)).resolve(hash);
    }

    private static void moveIntoPlace(Path temp, Path target) throws IOException {
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException raced) {
            // another import stored the same bytes first: same content, nothing to do
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /**
     * Reads only the header of an image: format and pixel size in the EXIF-oriented frame ({@link ImageOrientation}),
     * without decoding the pixels.
     */
    static ImageHeader readHeader(Path file, String name) throws IOException {
        try (ImageInputStream stream = ImageIO.createImageInputStream(file.toFile())) {
            Iterator<ImageReader> readers = stream == null ? null : ImageIO.getImageReaders(stream);
            if (readers == null || !readers.hasNext()) {
                throw new InvalidImageException(name + ": not an image in a format the platform reads (JPEG, PNG, GIF, BMP)");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(stream, true, true);
                int width = reader.getWidth(0);
                int height = reader.getHeight(0);
                String mediaType = reader.getOriginatingProvider().getMIMETypes()[0];
                // the oriented size: what browsers and GLaMM's cv2.imread show, the frame GLaMM's masks are in
                if ("image/jpeg".equals(mediaType) && ImageOrientation.swapsAxes(ImageOrientation.of(file))) {
                    return new ImageHeader(mediaType, height, width);
                }
                return new ImageHeader(mediaType, width, height);
            } catch (IOException | RuntimeException e) {
                throw new InvalidImageException(name + ": unreadable image header (" + e.getMessage() + ")");
            } finally {
                reader.dispose();
            }
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    record ImageHeader(String mediaType, int width, int height) {
    }
}
