package studio.grounding.annotation;

import java.util.Objects;

/**
 * One instance mask in COCO's compressed RLE string form, as GranD_f and GLaMM write it.
 *
 * @param height image height in pixels ({@code size[0]} in COCO)
 * @param width  image width in pixels ({@code size[1]} in COCO)
 * @param counts the compressed counts string (pycocotools {@code rleToString})
 */
public record MaskRle(int height, int width, String counts) {

    public MaskRle {
        Objects.requireNonNull(counts, "counts");
    }
}
