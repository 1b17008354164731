package studio.grounding.api;

import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import studio.grounding.assist.AssistAnswer;
import studio.grounding.assist.AssistKind;
import studio.grounding.assist.AssistPrompt;
import studio.grounding.assist.AssistService;
import studio.grounding.dataset.DatasetService;
import studio.grounding.dataset.ImageInfo;

/**
 * The editor's model assistance (ANNOTATOR and up), answered by a connected inference worker (ADR 0020): 503 when
 * no worker (for {@code model}) is connected, 504 when none answered in time, 502 when the worker failed, 400 for a
 * prompt outside the image. Coordinates are original image pixels; masks are COCO RLE {@code {size:[h,w], counts}}.
 */
@RestController
@RequestMapping("/api/v1/items/{id}")
class AssistController {

    private final AssistService assist;
    private final DatasetService datasets;

    AssistController(AssistService assist, DatasetService datasets) {
        this.assist = assist;
        this.datasets = datasets;
    }

    record PointJson(double x, double y, Boolean positive) {
    }

    record MaskJson(List<Integer> size, String counts) {

        static MaskJson of(AssistAnswer.Mask m) {
            return new MaskJson(List.of(m.height(), m.width()), m.counts());
        }
    }

    /** Clicks (positive by default), a box {@code [x0, y0, x1, y1]}, the current mask; {@code model} optional. */
    record SegmentRequest(List<PointJson> points, List<Double> box, MaskJson mask, String model) {
    }

    /** The best mask first in {@code masks}, and as {@code mask}; {@code scores} are SAM's predicted IoU. */
    record Masks(MaskJson mask, List<MaskJson> masks, List<Double> scores) {

        static Masks of(AssistAnswer a) {
            List<MaskJson> masks = a.masks().stream().map(MaskJson::of).toList();
            return new Masks(masks.isEmpty() ? null : masks.getFirst(), masks, a.scores());
        }
    }

    record PhraseRequest(String phrase, String model) {
    }

    record RegionRequest(List<Double> box, String model) {
    }

    record Caption(String caption) {
    }

    @PostMapping("/segment")
    Masks segment(@PathVariable long id, @RequestBody SegmentRequest r) {
        ImageInfo img = image(id);
        String counts = null;
        if (r.mask() != null) {
            if (r.mask().size() == null || r.mask().size().size() != 2 || r.mask().size().get(0) != img.height()
                    || r.mask().size().get(1) != img.width()) {
                throw new IllegalArgumentException("mask.size: must be the image's [" + img.height() + ", "
                        + img.width() + "], got " + r.mask().size());
            }
            counts = r.mask().counts();
        }
        List<AssistPrompt.Point> points = r.points() == null ? List.of() : r.points().stream()
                .map(p -> new AssistPrompt.Point(p.x(), p.y(), p.positive() == null || p.positive())).toList();
        return Masks.of(ask(AssistKind.SEGMENT, r.model(), id, img, new AssistPrompt(points, r.box(), counts, null)));
    }

    @PostMapping("/segment-phrase")
    Masks segmentPhrase(@PathVariable long id, @RequestBody PhraseRequest r) {
        ImageInfo img = image(id);
        return Masks.of(ask(AssistKind.SEGMENT_PHRASE, r.model(), id, img,
                new AssistPrompt(null, null, null, r.phrase())));
    }

    @PostMapping("/describe-region")
    Caption describeRegion(@PathVariable long id, @RequestBody RegionRequest r) {
        ImageInfo img = image(id);
        return new Caption(ask(AssistKind.DESCRIBE_REGION, r.model(), id, img,
                new AssistPrompt(null, r.box(), null, null)).caption());
    }

    private AssistAnswer ask(AssistKind kind, String model, long id, ImageInfo img, AssistPrompt prompt) {
        return assist.ask(kind, model, id, img.contentHash(), img.width(), img.height(), prompt);
    }

    private ImageInfo image(long id) {
        return datasets.item(id).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "No item #" + id))
                .image();
    }
}
