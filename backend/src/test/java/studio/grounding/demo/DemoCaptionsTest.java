package studio.grounding.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.ClassPathResource;
import studio.grounding.annotation.GroundedCaption;
import studio.grounding.mask.Rle;

/** The shipped demo annotations are well-formed: spans index the caption, polygons lie inside their images. */
class DemoCaptionsTest {

    private final List<DemoCaption> demo = DemoDataSeeder.readCaptions();

    @Test
    void coversTheEightShippedPhotosOnce() {
        Set<String> names = demo.stream().map(DemoCaption::fileName).collect(Collectors.toSet());
        assertThat(demo).hasSize(8);
        assertThat(names).containsExactlyInAnyOrder("astronaut.png", "camera.png", "chelsea.png", "coffee.png",
                "horse.png", "rocket.jpg", "retina.jpg", "hubble_deep_field.jpg");
    }

    @Test
    void everyPhotoIsCredited() throws IOException {
        String licences;
        try (InputStream in = new ClassPathResource(DemoDataSeeder.IMAGES + "LICENSES.md").getInputStream()) {
            licences = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        demo.forEach(d -> assertThat(licences).as("credit for %s", d.fileName()).contains(d.fileName()));
    }

    @Test
    void spansIndexTheCaptionExactly() {
        for (DemoCaption d : demo) {
            assertThat(d.phrases()).as(d.fileName()).hasSizeBetween(2, 4);
            int previousEnd = 0;
            for (DemoCaption.DemoPhrase p : d.phrases()) {
                assertThat(p.start()).as("%s: %s", d.fileName(), p.text()).isGreaterThanOrEqualTo(previousEnd);
                assertThat(p.end()).isLessThanOrEqualTo(d.caption().length());
                assertThat(d.caption().substring(p.start(), p.end())).isEqualTo(p.text());
                previousEnd = p.end();
            }
        }
    }

    @Test
    void polygonsHaveAtLeastThreePointsInsideTheirImage() throws IOException {
        for (DemoCaption d : demo) {
            BufferedImage image = read(d.fileName());
            for (DemoCaption.DemoPhrase p : d.phrases()) {
                assertThat(p.instances()).as("%s: %s", d.fileName(), p.text()).isNotEmpty();
                for (double[] polygon : p.instances()) {
                    assertThat(polygon.length % 2).as("%s: %s, x/y pairs", d.fileName(), p.text()).isZero();
                    assertThat(polygon.length / 2).as("%s: %s, points", d.fileName(), p.text()).isGreaterThanOrEqualTo(3);
                    for (int i = 0; i < polygon.length; i += 2) {
                        assertThat(polygon[i]).as("%s: %s, x", d.fileName(), p.text()).isBetween(0.0, (double) image.getWidth());
                        assertThat(polygon[i + 1]).as("%s: %s, y", d.fileName(), p.text()).isBetween(0.0, (double) image.getHeight());
                    }
                    assertThat(Rle.fromPolygon(polygon, image.getHeight(), image.getWidth()).area())
                            .as("%s: %s, mask area", d.fileName(), p.text()).isPositive();
                }
            }
        }
    }

    @Test
    void convertsToValidGroundedCaptions() throws IOException {
        for (DemoCaption d : demo) {
            BufferedImage image = read(d.fileName());
            GroundedCaption caption = DemoDataSeeder.groundedCaption(d, image.getHeight(), image.getWidth());
            assertThat(caption.problems()).as(d.fileName()).isEmpty();
            assertThat(caption.allMasks()).hasSize(d.phrases().stream().mapToInt(p -> p.instances().size()).sum());
        }
    }

    private static BufferedImage read(String fileName) throws IOException {
        try (InputStream in = new ClassPathResource(DemoDataSeeder.IMAGES + fileName).getInputStream()) {
            BufferedImage image = ImageIO.read(in);
            assertThat(image).as(fileName).isNotNull();
            return image;
        }
    }
}
