package studio.grounding.api;

import java.time.Duration;
import java.util.List;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import studio.grounding.assist.AssistAnswer;
import studio.grounding.assist.AssistPrompt;
import studio.grounding.assist.AssistService;
import studio.grounding.assist.ClaimedAssist;

/**
 * The worker side of interactive requests (WORKER role, ADR 0020): a long-poll claim on a queue separate from the
 * pre-fill jobs ({@code 204} when nothing came within {@code waitSeconds}), then an answer or a failure. An answer
 * to a request nobody waits for any more is 404; a malformed one 400 (the editor gets 502).
 */
@RestController
@RequestMapping("/api/v1/worker/interactive")
class InteractiveWorkerController {

    private final AssistService assist;

    InteractiveWorkerController(AssistService assist) {
        this.assist = assist;
    }

    /** {@code model}: the model version name this worker serves; {@code waitSeconds} 0..30 (default 20). */
    record ClaimRequest(String model, Integer waitSeconds) {
    }

    record Request(String requestId, String kind, long itemId, Image image, List<AssistPrompt.Point> points,
                   List<Double> box, String maskCounts, String phrase) {

        static Request of(ClaimedAssist c) {
            return new Request(c.requestId(), c.kind().name(), c.itemId(),
                    new Image(c.imageHash(), "/media/images/" + c.imageHash(), c.imageWidth(), c.imageHeight()),
                    c.prompt().points(), c.prompt().box(), c.prompt().maskCounts(), c.prompt().phrase());
        }
    }

    record Image(String contentHash, String url, int width, int height) {
    }

    record MaskJson(List<Integer> size, String counts) {
    }

    record AnswerRequest(List<MaskJson> masks, List<Double> scores, String caption) {
    }

    record FailureRequest(String error) {
    }

    @PostMapping("/claim")
    ResponseEntity<Request> claim(@RequestBody(required = false) ClaimRequest r) {
        ClaimRequest req = r == null ? new ClaimRequest(null, null) : r;
        return assist.claim(req.model(), req.waitSeconds() == null ? null : Duration.ofSeconds(req.waitSeconds()))
                .map(c -> ResponseEntity.ok(Request.of(c)))
                .orElseGet(() -> ResponseEntity.noContent().build());
    }

    @PostMapping("/{requestId}/answer")
    ResponseEntity<Void> answer(@PathVariable String requestId, @RequestBody AnswerRequest r) {
        List<AssistAnswer.Mask> masks = r.masks() == null ? List.of() : r.masks().stream().map(m -> {
            if (m.size() == null || m.size().size() != 2) {
                throw new IllegalArgumentException("masks[].size: must be [height, width]");
            }
            return new AssistAnswer.Mask(m.size().get(0), m.size().get(1), m.counts());
        }).toList();
        assist.answer(requestId, new AssistAnswer(masks, r.scores(), r.caption()));
        return ResponseEntity.noContent().build();
    }

    @PostMapping("/{requestId}/failure")
    ResponseEntity<Void> failure(@PathVariable String requestId, @RequestBody(required = false) FailureRequest r) {
        assist.fail(requestId, r == null ? null : r.error());
        return ResponseEntity.noContent().build();
    }
}
