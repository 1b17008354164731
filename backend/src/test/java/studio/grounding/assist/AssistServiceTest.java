package studio.grounding.assist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import studio.grounding.mask.Rle;

/** The in-memory request/response queue with real threads: a worker long-polls, the editor's call waits. */
class AssistServiceTest {

    private static final AssistPrompt CLICK = new AssistPrompt(List.of(new AssistPrompt.Point(3, 2, true)), null,
            null, null);
    private static final String FULL = Rle.fromBbox(new double[] {0, 0, 8, 6}, 6, 8).toCompressedString();

    private final AssistService service = new AssistService(Duration.ofSeconds(5), Duration.ofSeconds(1));
    /** Own threads: the common pool has one thread on a 2-core machine, and a claim blocks it. */
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();

    private CompletableFuture<AssistAnswer> askAsync(String model, AssistKind kind, AssistPrompt prompt) {
        return CompletableFuture.supplyAsync(() -> service.ask(kind, model, 7, "hash", 8, 6, prompt), threads);
    }

    private ClaimedAssist claimSoon(String model) {
        Optional<ClaimedAssist> c = service.claim(model, Duration.ofSeconds(5));
        assertThat(c).isPresent();
        return c.get();
    }

    @Test
    void withoutAPollingWorkerTheCallIsRefusedAtOnceNamingTheModel() {
        assertThatThrownBy(() -> service.ask(AssistKind.SEGMENT, "glamm-x", 7, "h", 8, 6, CLICK))
                .isInstanceOf(NoAssistWorkerException.class).hasMessageContaining("No worker with model glamm-x");
        assertThatThrownBy(() -> service.ask(AssistKind.SEGMENT, null, 7, "h", 8, 6, CLICK))
                .isInstanceOf(NoAssistWorkerException.class).hasMessageContaining("No worker connected");
    }

    @Test
    void aWaitingWorkerGetsTheRequestAndItsAnswerReachesTheCaller() throws Exception {
        CompletableFuture<ClaimedAssist> worker = CompletableFuture.supplyAsync(() -> claimSoon("m1"), threads);
        while (!service.connected("m1")) {
            Thread.sleep(5);
        }
        CompletableFuture<AssistAnswer> call = askAsync("m1", AssistKind.SEGMENT, CLICK);
        ClaimedAssist c = worker.get(5, TimeUnit.SECONDS);
        assertThat(c.kind()).isEqualTo(AssistKind.SEGMENT);
        assertThat(c.imageHash()).isEqualTo("hash");
        assertThat(c.prompt().points()).containsExactly(new AssistPrompt.Point(3, 2, true));
        service.answer(c.requestId(), new AssistAnswer(List.of(new AssistAnswer.Mask(6, 8, FULL)), List.of(0.9), null));
        assertThat(call.get(5, TimeUnit.SECONDS).masks()).extracting(AssistAnswer.Mask::counts).containsExactly(FULL);
        // answered once: a second answer is refused
        assertThatThrownBy(() -> service.answer(c.requestId(), new AssistAnswer(List.of(), List.of(), null)))
                .isInstanceOf(UnknownAssistRequestException.class);
    }

    @Test
    void aWorkerOnlyGetsRequestsForItsModelOrForAnyModel() throws Exception {
        service.claim("a", Duration.ZERO);
        service.claim("b", Duration.ZERO);
        CompletableFuture<AssistAnswer> forB = askAsync("b", AssistKind.SEGMENT, CLICK);
        Thread.sleep(50);
        assertThat(service.claim("a", Duration.ofMillis(100))).isEmpty();
        ClaimedAssist c = claimSoon("b");
        service.fail(c.requestId(), "model lacks prompt_decoder.pt");
        assertThatThrownBy(() -> forB.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(AssistFailedException.class)
                .hasMessageContaining("model lacks prompt_decoder.pt");
        CompletableFuture<AssistAnswer> any = askAsync(null, AssistKind.DESCRIBE_REGION,
                new AssistPrompt(null, List.of(0.0, 0.0, 4.0, 4.0), null, null));
        ClaimedAssist d = claimSoon("a");
        service.answer(d.requestId(), new AssistAnswer(null, null, "a dog"));
        assertThat(any.get(5, TimeUnit.SECONDS).caption()).isEqualTo("a dog");
    }

    @Test
    void aWorkerIsConnectedOnlyForAWhileAfterItsLastPoll() throws Exception {
        service.claim("m2", Duration.ZERO);
        assertThat(service.connected("m2")).isTrue();
        assertThat(service.connected(null)).isTrue();
        Thread.sleep(1300);
        assertThat(service.connected("m2")).isFalse();
        assertThat(service.connected(null)).isFalse();
    }

    @Test
    void noAnswerInTimeIs504AndTheLateAnswerIsRefused() throws Exception {
        AssistService fast = new AssistService(Duration.ofMillis(200), Duration.ofSeconds(10));
        fast.claim("m3", Duration.ZERO);
        CompletableFuture<AssistAnswer> call = CompletableFuture.supplyAsync(
                () -> fast.ask(AssistKind.SEGMENT, "m3", 7, "h", 8, 6, CLICK), threads);
        ClaimedAssist c = fast.claim("m3", Duration.ofSeconds(5)).orElseThrow();
        assertThatThrownBy(() -> call.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(AssistTimeoutException.class)
                .hasMessageContaining("within 200 ms");
        assertThatThrownBy(() -> fast.answer(c.requestId(), new AssistAnswer(List.of(new AssistAnswer.Mask(6, 8,
                FULL)), null, null))).isInstanceOf(UnknownAssistRequestException.class);
        // an unclaimed request that timed out is not handed out later
        CompletableFuture<AssistAnswer> unclaimed = CompletableFuture.supplyAsync(
                () -> fast.ask(AssistKind.SEGMENT, "m3", 7, "h", 8, 6, CLICK), threads);
        assertThatThrownBy(() -> unclaimed.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(AssistTimeoutException.class);
        assertThat(fast.claim("m3", Duration.ZERO)).isEmpty();
    }

    @Test
    void anAnswerWithAMaskOfTheWrongSizeIsRefusedAndTheCallerToldWhy() throws Exception {
        service.claim("m4", Duration.ZERO);
        CompletableFuture<AssistAnswer> call = askAsync("m4", AssistKind.SEGMENT, CLICK);
        ClaimedAssist c = claimSoon("m4");
        assertThatThrownBy(() -> service.answer(c.requestId(), new AssistAnswer(
                List.of(new AssistAnswer.Mask(6, 9, "x")), null, null)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("masks[0].size: [6, 9]");
        assertThatThrownBy(() -> call.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(AssistFailedException.class)
                .hasMessageContaining("masks[0].size");
    }

    @Test
    void badPromptsNameTheField() {
        service.claim("m5", Duration.ZERO);
        assertThatThrownBy(() -> service.ask(AssistKind.SEGMENT, "m5", 7, "h", 8, 6,
                new AssistPrompt(List.of(new AssistPrompt.Point(9, 1, true)), null, null, null)))
                .hasMessageContaining("points[0]: (9.0, 1.0) is outside the 8x6 image");
        assertThatThrownBy(() -> service.ask(AssistKind.SEGMENT, "m5", 7, "h", 8, 6,
                new AssistPrompt(null, null, null, null))).hasMessageContaining("at least one point or a box");
        assertThatThrownBy(() -> service.ask(AssistKind.SEGMENT, "m5", 7, "h", 8, 6,
                new AssistPrompt(null, List.of(5.0, 1.0, 2.0, 3.0), null, null))).hasMessageContaining("box: x0 > x1");
        assertThatThrownBy(() -> service.ask(AssistKind.SEGMENT, "m5", 7, "h", 8, 6,
                new AssistPrompt(List.of(new AssistPrompt.Point(1, 1, true)), null, "3", null)))
                .hasMessageContaining("mask.counts");
        assertThatThrownBy(() -> service.ask(AssistKind.SEGMENT_PHRASE, "m5", 7, "h", 8, 6,
                new AssistPrompt(null, null, null, " "))).hasMessageContaining("phrase: missing or blank");
        assertThatThrownBy(() -> service.ask(AssistKind.DESCRIBE_REGION, "m5", 7, "h", 8, 6,
                new AssistPrompt(null, null, null, null))).hasMessageContaining("box: missing");
        assertThatThrownBy(() -> service.claim(null, Duration.ZERO)).hasMessageContaining("model:");
        assertThatThrownBy(() -> service.claim("m5", Duration.ofSeconds(31))).hasMessageContaining("waitSeconds");
    }
}
