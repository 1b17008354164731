package studio.grounding.worker.model;

import java.io.ByteArrayInputStream;
import java.io.IOException;

import com.drew.imaging.ImageMetadataReader;
import com.drew.imaging.ImageProcessingException;
import com.drew.metadata.Metadata;
import com.drew.metadata.MetadataException;
import com.drew.metadata.exif.ExifIFD0Directory;

/**
 * The EXIF orientation (IFD0 tag 0x0112, 1..8) of JPEG bytes, read with metadata-extractor; 1 for anything else.
 * cv2.imread applies it to JPEGs, so GLaMM sees (and predicts masks for) the oriented image.
 */
final class ExifOrientation {

    private ExifOrientation() {
    }

    static int of(byte[] bytes) {
        boolean jpeg = bytes.length > 2 && (bytes[0] & 0xFF) == 0xFF && (bytes[1] & 0xFF) == 0xD8;
        if (!jpeg) {
            return 1;
        }
        try {
            Metadata metadata = ImageMetadataReader.readMetadata(new ByteArrayInputStream(bytes));
            for (ExifIFD0Directory d : metadata.getDirectoriesOfType(ExifIFD0Directory.class)) {
                if (d.containsTag(ExifIFD0Directory.TAG_ORIENTATION)) {
                    int o = d.getInt(ExifIFD0Directory.TAG_ORIENTATION);
                    return o >= 1 && o <= 8 ? o : 1;
                }
            }
            return 1;
        } catch (ImageProcessingException | MetadataException | IOException | RuntimeException e) {
            return 1;
        }
    }
}
