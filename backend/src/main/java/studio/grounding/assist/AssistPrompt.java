package studio.grounding.assist;

import java.util.List;

/**
 * The prompt of an assist request, in original image pixels: clicks, a box {@code [x0, y0, x1, y1]}, the current
 * mask (COCO RLE counts at the image size) and a phrase; which ones are needed depends on the {@link AssistKind}.
 */
public record AssistPrompt(List<Point> points, List<Double> box, String maskCounts, String phrase) {

    public AssistPrompt {
        points = points == null ? List.of() : List.copyOf(points);
        box = box == null ? null : List.copyOf(box);
    }

    /** A click; {@code positive} false = "not this". */
    public record Point(double x, double y, boolean positive) {}
}
