package studio.grounding.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import studio.grounding.mask.Rle;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Checks an export of the demo dataset against the GranD_f format (../shared/spec/grandf-formats.md §1) the GLaMM
 * loader reads: a JSON array of records with {@code file_name}, {@code caption} and {@code groundings}; each
 * grounding's {@code token_positives} a span {@code [start, end)} inside the caption as the loader strips it, whose
 * text is the phrase; each of its {@code rle_masks} a non-empty COCO RLE whose {@code size} is the real image's
 * {@code [height, width]} (read from the demo image itself) and decodes to that many pixels.
 */
public final class GrandfExport {

    /** The demo dataset's photos (docs/demo-data.md). */
    public static final List<String> DEMO_FILES = List.of("astronaut.png", "camera.png", "chelsea.png", "coffee.png",
            "horse.png", "hubble_deep_field.jpg", "retina.jpg", "rocket.jpg");

    private GrandfExport() {
    }

    /** Fails unless {@code body} is a valid GranD_f file of the demo dataset; answers its number of phrases. */
    public static int assertValidDemoExport(String body) throws IOException {
        JsonNode records = JsonMapper.builder().build().readTree(body);
        assertThat(records.isArray()).as("a JSON array of records").isTrue();
        List<String> files = new ArrayList<>();
        int phrases = 0;
        for (int i = 0; i < records.size(); i++) {
            JsonNode record = records.get(i);
            String where = "record " + i;
            assertThat(record.path("file_name").isString()).as(where + " file_name").isTrue();
            String file = record.get("file_name").asString();
            files.add(file);
            where = "record " + i + " (" + file + ")";
            BufferedImage image = demoImage(file);
            assertThat(record.path("caption").isString()).as(where + " caption").isTrue();
            String caption = strip(record.get("caption").asString());
            assertThat(caption).as(where + " caption").isNotBlank();
            if (record.has("height")) {
                assertThat(record.get("height").asInt()).as(where + " height").isEqualTo(image.getHeight());
                assertThat(record.get("width").asInt()).as(where + " width").isEqualTo(image.getWidth());
            }
            JsonNode groundings = record.path("groundings");
            assertThat(groundings.isObject() && !groundings.isEmpty()).as(where + " groundings").isTrue();
            for (Map.Entry<String, JsonNode> grounding : groundings.properties()) {
                String at = where + " groundings." + grounding.getKey();
                JsonNode span = grounding.getValue().path("token_positives");
                assertThat(span.isArray() && span.size() == 2).as(at + ".token_positives [start, end]").isTrue();
                int start = span.get(0).asInt();
                int end = span.get(1).asInt();
                assertThat(start).as(at + " start").isBetween(0, end - 1);
                assertThat(end).as(at + " end within the caption").isLessThanOrEqualTo(caption.length());
                assertThat(caption.substring(start, end)).as(at + " span text").isEqualTo(grounding.getKey());
                JsonNode masks = grounding.getValue().path("rle_masks");
                assertThat(masks.isArray() && !masks.isEmpty()).as(at + ".rle_masks").isTrue();
                for (JsonNode mask : masks) {
                    assertThat(mask.path("size").get(0).asInt()).as(at + " mask height").isEqualTo(image.getHeight());
                    assertThat(mask.path("size").get(1).asInt()).as(at + " mask width").isEqualTo(image.getWidth());
                    Rle rle = Rle.fromString(mask.path("counts").asString(), image.getHeight(), image.getWidth());
                    assertThat(rle.decode()).as(at + " decoded mask").hasSize(image.getHeight() * image.getWidth());
                    assertThat(rle.area()).as(at + " mask area").isPositive();
                }
                phrases++;
            }
        }
        assertThat(files).as("the demo dataset's images").containsExactlyInAnyOrderElementsOf(DEMO_FILES);
        return phrases;
    }

    /** What the GLaMM loader indexes: {@code caption.strip('"').strip()}. */
    private static String strip(String caption) {
        String s = caption;
        while (s.startsWith("\"")) {
            s = s.substring(1);
        }
        while (s.endsWith("\"")) {
            s = s.substring(0, s.length() - 1);
        }
        return s.strip();
    }

    private static BufferedImage demoImage(String file) throws IOException {
        try (InputStream in = GrandfExport.class.getResourceAsStream("/demo/images/" + file)) {
            assertThat(in).as("demo image " + file).isNotNull();
            return ImageIO.read(in);
        }
    }
}
