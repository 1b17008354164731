package studio.grounding.dataset;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.Optional;

import javax.imageio.ImageIO;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import studio.grounding.interchange.ImageDimensions;

/** Issue 10 §3: JPEGs made here for all 8 EXIF orientations, stored 40 wide and 24 high. */
class ImageOrientationTest {

    static final int W = 40;
    static final int H = 24;

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8})
    void sizeAndPixelsAreInTheOrientedFrame(int orientation) throws Exception {
        Path file = ExifJpeg.write(dir.resolve("o" + orientation + ".jpg"), W, H, orientation);
        assertThat(ImageOrientation.of(file)).isEqualTo(orientation);

        // 5..8 turn a quarter: the oriented image is 24 wide and 40 high
        boolean quarter = orientation >= 5;
        int ow = quarter ? H : W;
        int oh = quarter ? W : H;
        ImageStore.ImageHeader header = ImageStore.readHeader(file, "o.jpg");
        assertThat(header.width()).isEqualTo(ow);
        assertThat(header.height()).isEqualTo(oh);
        assertThat(ImageDimensions.fromDirectory(dir).lookup(file.getFileName().toString()))
                .isEqualTo(Optional.of(new ImageDimensions.Size(oh, ow)));

        // where the stored top-left corner is shown (EXIF 2.3 table: "0th row"/"0th column" of each value)
        BufferedImage shown = ImageOrientation.apply(ImageIO.read(file.toFile()), orientation);
        assertThat(shown.getWidth()).isEqualTo(ow);
        assertThat(shown.getHeight()).isEqualTo(oh);
        String corner = switch (orientation) {
            case 1, 5 -> "top-left";
            case 2, 6 -> "top-right";
            case 3, 7 -> "bottom-right";
            default -> "bottom-left"; // 4, 8
        };
        assertThat(markedCorner(shown)).isEqualTo(corner);
    }

    @Test
    void noExifOrAnotherFormatIsAsStored() throws Exception {
        assertThat(ImageOrientation.of(new ByteArrayInputStream(ExifJpeg.bytes(W, H, 0))))
                .isEqualTo(ImageOrientation.NORMAL);
        assertThat(ImageOrientation.of(new ByteArrayInputStream(new byte[] {1, 2, 3})))
                .isEqualTo(ImageOrientation.NORMAL);
        Path png = dir.resolve("p.png");
        ImageIO.write(new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB), "png", png.toFile());
        assertThat(ImageStore.readHeader(png, "p.png").width()).isEqualTo(W);
    }

    static String markedCorner(BufferedImage img) {
        int w = img.getWidth();
        int h = img.getHeight();
        int in = ExifJpeg.BLOCK / 2; // the middle of the block, away from JPEG's edge ringing
        String found = null;
        int[][] at = {{in, in}, {w - 1 - in, in}, {w - 1 - in, h - 1 - in}, {in, h - 1 - in}};
        String[] names = {"top-left", "top-right", "bottom-right", "bottom-left"};
        for (int i = 0; i < 4; i++) {
            if (ExifJpeg.isMark(img.getRGB(at[i][0], at[i][1]))) {
                if (found != null) {
                    return "several";
                }
                found = names[i];
            }
        }
        return found == null ? "none" : found;
    }
}
