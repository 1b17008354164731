package studio.grounding.assist;

import java.util.List;

/** A worker's answer: masks (COCO RLE at the image size) with scores, best first, and/or a caption. */
public record AssistAnswer(List<Mask> masks, List<Double> scores, String caption) {

    public AssistAnswer {
        masks = masks == null ? List.of() : List.copyOf(masks);
        scores = scores == null ? List.of() : List.copyOf(scores);
    }

    public record Mask(int height, int width, String counts) {}
}
