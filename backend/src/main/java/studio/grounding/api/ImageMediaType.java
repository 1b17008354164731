package studio.grounding.api;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.springframework.http.MediaType;

/** The media type of a stored image, from its first bytes (the formats the image store accepts). */
final class ImageMediaType {

    private static final byte[] JPEG = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF};
    private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    private static final byte[] GIF = {'G', 'I', 'F', '8'};
    private static final byte[] BMP = {'B', 'M'};

    private ImageMediaType() {
    }

    static MediaType of(Path file) throws IOException {
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(8);
        }
        if (startsWith(head, JPEG)) {
            return MediaType.IMAGE_JPEG;
        }
        if (startsWith(head, PNG)) {
            return MediaType.IMAGE_PNG;
        }
        if (startsWith(head, GIF)) {
            return MediaType.IMAGE_GIF;
        }
        if (startsWith(head, BMP)) {
            return MediaType.parseMediaType("image/bmp");
        }
        return MediaType.APPLICATION_OCTET_STREAM;
    }

    private static boolean startsWith(byte[] head, byte[] magic) {
        return head.length >= magic.length && Arrays.equals(head, 0, magic.length, magic, 0, magic.length);
    }
}
