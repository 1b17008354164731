package studio.grounding.worker.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** Decoding to RGB as cv2.imread + BGR2RGB would: grey replicated, alpha dropped, no colour management. */
class RgbImageTest {

    @Test
    void greyIsReplicatedWithoutGammaConversion() throws IOException {
        BufferedImage g = new BufferedImage(3, 2, BufferedImage.TYPE_BYTE_GRAY);
        g.getRaster().setSample(1, 0, 0, 77);
        RgbImage img = roundTrip(g);
        assertThat(img.at(0, 1, 0)).isEqualTo(77);
        assertThat(img.at(0, 1, 1)).isEqualTo(77);
        assertThat(img.at(0, 1, 2)).isEqualTo(77);
        assertThat(img.at(1, 2, 0)).isZero();
    }

    @Test
    void alphaIsDroppedAndChannelsKeepTheirOrder() throws IOException {
        BufferedImage a = new BufferedImage(2, 2, BufferedImage.TYPE_4BYTE_ABGR);
        a.getRaster().setPixel(1, 1, new int[] {10, 20, 30, 0});   // R, G, B, A (fully transparent)
        RgbImage img = roundTrip(a);
        assertThat(new int[] {img.at(1, 1, 0), img.at(1, 1, 1), img.at(1, 1, 2)}).containsExactly(10, 20, 30);
    }

    @Test
    void referenceImageHasItsSize() throws IOException {
        RgbImage img = RgbImage.read(TinyGlamm.reference("landscape.png"));
        assertThat(img.width()).isEqualTo(400);
        assertThat(img.height()).isEqualTo(300);
    }

    @Test
    void rejectsNonImages() {
        assertThatThrownBy(() -> RgbImage.read(new ByteArrayInputStream(new byte[] {1, 2, 3}), "junk"))
                .isInstanceOf(IOException.class);
    }

    /**
     * Issue 10 §3: a JPEG stored 40 wide, 24 high, red 8x8 block at its stored top-left, tagged with each EXIF
     * orientation: the worker decodes it in the oriented frame as cv2.imread does (size and where the block is).
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8})
    void jpegsAreDecodedInTheirExifOrientation(int orientation) throws IOException {
        RgbImage img = RgbImage.read(new ByteArrayInputStream(exifJpeg(40, 24, orientation)), "o.jpg");
        boolean quarter = orientation >= 5;
        assertThat(img.width()).isEqualTo(quarter ? 24 : 40);
        assertThat(img.height()).isEqualTo(quarter ? 40 : 24);
        String expected = switch (orientation) { // EXIF 2.3: where the stored 0th row / 0th column are shown
            case 1, 5 -> "top-left";
            case 2, 6 -> "top-right";
            case 3, 7 -> "bottom-right";
            default -> "bottom-left";
        };
        int w = img.width();
        int h = img.height();
        java.util.List<String> marked = new java.util.ArrayList<>();
        int[][] at = {{4, 4}, {w - 5, 4}, {w - 5, h - 5}, {4, h - 5}};
        String[] names = {"top-left", "top-right", "bottom-right", "bottom-left"};
        for (int i = 0; i < 4; i++) {
            int r = img.at(at[i][1], at[i][0], 0);
            int g = img.at(at[i][1], at[i][0], 1);
            if (r > 200 && g < 60) {
                marked.add(names[i]);
            }
        }
        assertThat(marked).containsExactly(expected);
    }

    /** ImageIO's JPEG with an APP1 Exif segment (big-endian TIFF, IFD0 = one Orientation entry) after SOI. */
    static byte[] exifJpeg(int width, int height, int orientation) throws IOException {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                img.setRGB(x, y, x < 8 && y < 8 ? 0xff0000 : 0xffffff);
            }
        }
        ByteArrayOutputStream jpeg = new ByteArrayOutputStream();
        ImageIO.write(img, "jpg", jpeg);
        byte[] plain = jpeg.toByteArray();
        byte[] app1 = {(byte) 0xFF, (byte) 0xE1, 0, 34, 'E', 'x', 'i', 'f', 0, 0,
                'M', 'M', 0, 42, 0, 0, 0, 8, 0, 1,
                0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, (byte) orientation, 0, 0, 0, 0, 0, 0};
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(plain, 0, 2);
        out.writeBytes(app1);
        out.write(plain, 2, plain.length - 2);
        return out.toByteArray();
    }

    private static RgbImage roundTrip(BufferedImage b) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(b, "png", out);
        return RgbImage.read(new ByteArrayInputStream(out.toByteArray()), "t.png");
    }
}
