package studio.grounding.interchange;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import studio.grounding.mask.Rle;

/** Small realistic inputs, written by the tests; masks are real compressed RLE strings of small images. */
final class Fixtures {

    static final int H = 15;
    static final int W = 20;
    /** A man: left block. */
    static final String MAN = rect(H, W, 1, 2, 6, 14);
    /** A horse: right block. */
    static final String HORSE = rect(H, W, 8, 4, 19, 13);
    /** A second horse. */
    static final String HORSE2 = rect(H, W, 14, 0, 20, 5);
    /** A fence: bottom strip. */
    static final String FENCE = rect(H, W, 0, 13, 20, 15);

    private Fixtures() {
    }

    /** Compressed RLE (mask library) of the pixels {@code x in [x0, x1), y in [y0, y1)} of an {@code h x w} image. */
    static String rect(int h, int w, int x0, int y0, int x1, int y1) {
        byte[] bitmap = new byte[h * w];
        for (int x = x0; x < x1; x++) {
            for (int y = y0; y < y1; y++) {
                bitmap[x * h + y] = 1;
            }
        }
        return Rle.encode(bitmap, h, w).toCompressedString();
    }

    static String mask(String counts) {
        return "{\"size\": [" + H + ", " + W + "], \"counts\": " + quote(counts) + "}";
    }

    static String quote(String s) {
        return new String(Json.MAPPER.writeValueAsBytes(s), StandardCharsets.UTF_8);
    }

    static Path write(Path dir, String name, String content) {
        try {
            Path p = dir.resolve(name);
            Files.writeString(p, content, StandardCharsets.UTF_8);
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A valid GranD_f HA record. */
    static String grandfRecord(String id, String caption, String groundings) {
        return "{\"image_id\": " + quote(id) + ", \"file_name\": " + quote(id + ".jpg") + ", \"height\": " + H
                + ", \"width\": " + W + ", \"caption\": " + quote(caption) + ", \"groundings\": {" + groundings + "}}";
    }

    static String grounding(String phrase, int s, int e, String... masks) {
        StringBuilder m = new StringBuilder();
        for (String counts : masks) {
            m.append(m.isEmpty() ? "" : ", ").append(mask(counts));
        }
        return quote(phrase) + ": {\"token_positives\": [" + s + ", " + e + "], \"rle_masks\": [" + m + "]}";
    }

    /** Two good GranD_f records (the man/horse one with two horse instances). */
    static String grandfGood() {
        return "[\n" + grandfRecord("sa_1", "A man rides a horse near a fence.",
                grounding("A man", 0, 5, MAN) + ", " + grounding("a horse", 12, 19, HORSE, HORSE2) + ", "
                        + grounding("a fence", 25, 32, FENCE))
                + ",\n" + grandfRecord("sa_2", "\"A horse stands.\"", grounding("A horse", 0, 7, HORSE))
                + "\n]\n";
    }
}
