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

    private static RgbImage roundTrip(BufferedImage b) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(b, "png", out);
        return RgbImage.read(new ByteArrayInputStream(out.toByteArray()), "t.png");
    }
}
