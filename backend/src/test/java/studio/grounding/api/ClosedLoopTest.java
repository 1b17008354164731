package studio.grounding.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.jayway.jsonpath.JsonPath;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.web.context.WebApplicationContext;
import studio.grounding.StudioIntegrationTest;
import studio.grounding.annotation.EditingService;
import studio.grounding.annotation.EditorDocument;
import studio.grounding.annotation.GroundedCaption;
import studio.grounding.annotation.MaskRle;
import studio.grounding.annotation.Origin;
import studio.grounding.annotation.PhraseSpan;
import studio.grounding.annotation.Revision;
import studio.grounding.annotation.RevisionService;
import studio.grounding.annotation.SubmitResult;
import studio.grounding.dataset.DatasetService;
import studio.grounding.dataset.DatasetSummary;
import studio.grounding.dataset.ItemInfo;
import studio.grounding.dataset.ItemStatus;
import studio.grounding.dataset.Split;
import studio.grounding.evaluation.CorrectionEffort;
import studio.grounding.evaluation.CorrectionEffortService;
import studio.grounding.evaluation.Evaluation;
import studio.grounding.evaluation.EvaluationService;
import studio.grounding.model.ModelVersion;
import studio.grounding.model.ModelVersionService;
import studio.grounding.review.ReviewService;
import studio.grounding.security.Role;

/**
 * Issue 5's acceptance walked end to end through the public API, as a curator, annotators, a reviewer and an inference
 * worker would: a base model version pre-fills a dataset (queued over HTTP, claimed and answered with a WORKER token);
 * annotators correct the training items and a reviewer accepts them; the curator snapshots the accepted work and
 * launches a LOCAL finetuning run (a process that behaves like GLaMM training, src/test/resources/fake-train.sh)
 * that registers a new model version; the new version pre-fills the held-out test items, which are then corrected and
 * accepted; both versions are evaluated on the snapshot of that work and their correction effort compared.
 *
 * <p>By construction the base model predicts "A cat on grass." (the dog's mask shifted to IoU 0.2, grass right) and
 * the finetuned one predicts the truth "A dog on grass." exactly: the new version must score mIoU 1, recall 1 against
 * the base's 0.6 and 0.5, and need no caption edits and no redrawn masks where the base needed 3 edits and 1 mask.
 */
@StudioIntegrationTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClosedLoopTest {

    static final Path FAKE_TRAIN = Path.of("src/test/resources/fake-train.sh").toAbsolutePath();
    static final Path TINY_GLAMM = Path.of("../inference-worker/src/test/resources/tiny-glamm").toAbsolutePath().normalize();

    @DynamicPropertySource
    static void trainer(DynamicPropertyRegistry registry) {
        registry.add("studio.training.local-command",
                () -> "/bin/sh " + FAKE_TRAIN + " --steps 3 --delay 0.1 --model-from " + TINY_GLAMM);
    }

    @Autowired
    WebApplicationContext context;
    @Autowired
    DatasetService datasets;
    @Autowired
    RevisionService revisions;
    @Autowired
    EditingService editing;
    @Autowired
    ReviewService review;
    @Autowired
    EvaluationService evaluation;
    @Autowired
    CorrectionEffortService effort;

    ApiFixture fx;
    DatasetSummary dataset;
    ModelVersion base;
    String annotator;
    String reviewer;
    final List<ItemInfo> trainItems = new ArrayList<>();
    final List<ItemInfo> testItems = new ArrayList<>();

    static final MaskRle DOG = ApiFixture.box(6, 8, 0, 0, 3, 3);
    static final MaskRle WRONG_DOG = ApiFixture.box(6, 8, 2, 0, 3, 3);
    static final MaskRle GRASS = ApiFixture.box(6, 8, 0, 4, 8, 2);
    static final GroundedCaption TRUTH = ApiFixture.caption("A dog on grass.", List.of(
            new PhraseSpan(0, 5, "A dog", List.of(DOG)), new PhraseSpan(9, 14, "grass", List.of(GRASS))), List.of());

    @BeforeAll
    void data() {
        fx = new ApiFixture(context);
        dataset = fx.dataset("loop");
        base = context.getBean(ModelVersionService.class).getOrCreate("glamm-base-" + fx.run);
        annotator = fx.usernames.get(Role.ANNOTATOR);
        reviewer = fx.usernames.get(Role.REVIEWER);
        for (int i = 1; i <= 4; i++) {
            trainItems.add(fx.item(dataset, "train_" + i + ".png", 8, 6, Split.TRAIN));
        }
        for (int i = 1; i <= 2; i++) {
            testItems.add(fx.item(dataset, "test_" + i + ".png", 8, 6, Split.TEST));
        }
    }

    @Test
    void snapshotTrainPrefillWithTheNewVersionAndCompareItWithTheBase() throws Exception {
        // 1. the base version pre-fills every item, through the worker API
        assertThat(prefillThroughTheWorkerApi(base.name(), "A cat on grass.", WRONG_DOG)).isEqualTo(6);
        for (ItemInfo item : all()) {
            assertThat(datasets.item(item.id()).orElseThrow().status()).isEqualTo(ItemStatus.PREFILLED);
        }

        // 2. annotators correct the training items (40 s each), a reviewer accepts them
        for (ItemInfo item : trainItems) {
            correctAndAccept(item, 40);
        }

        // 3. the curator snapshots the accepted work
        String snapshot = call(post("/api/v1/datasets/" + dataset.name() + "/snapshots"), Role.CURATOR,
                "{\"note\":\"first corrected batch\"}")
                .andExpect(status().isCreated())
                .andExpect(jsonPath("$.number").value(1))
                .andExpect(jsonPath("$.items").value(4))
                .andReturn().getResponse().getContentAsString();
        assertThat((String) JsonPath.read(snapshot, "$.contentHash")).hasSize(64);

        // 4. ... and launches a local finetuning run on it, which ends by registering a new model version
        String started = call(post("/api/v1/training/runs"), Role.CURATOR, "{\"baseModel\":\"" + base.name()
                + "\",\"dataset\":\"" + dataset.name() + "\",\"snapshot\":1,\"hyperparameters\":{\"epochs\":\"1\"}}")
                .andExpect(status().isCreated())
                .andReturn().getResponse().getContentAsString();
        long runId = ((Number) JsonPath.read(started, "$.id")).longValue();
        String run = awaitRunFinished(runId);
        assertThat((String) JsonPath.read(run, "$.status")).as(run).isEqualTo("SUCCEEDED");
        String newModel = JsonPath.read(run, "$.resultModel");
        assertThat(newModel).isEqualTo(base.name() + "-ft-run" + runId);
        call(get("/api/v1/model-versions"), Role.ANNOTATOR, null)
                .andExpect(status().isOk())
                .andExpect(jsonPath("$[?(@.name == '" + newModel + "')].parentId").value(
                        org.hamcrest.Matchers.contains((int) base.id())));

        // 5. the new version pre-fills what is still open (the held-out test items; accepted work is never touched)
        assertThat(prefillThroughTheWorkerApi(newModel, "A dog on grass.", DOG)).isEqualTo(2);
        for (ItemInfo item : testItems) {
            Revision latest = revisions.latest(item.id()).orElseThrow();
            assertThat(latest.origin()).isEqualTo(Origin.MODEL);
            assertThat(latest.caption().caption()).isEqualTo("A dog on grass.");
        }
        for (ItemInfo item : trainItems) {
            assertThat(revisions.latest(item.id()).orElseThrow().origin()).isEqualTo(Origin.HUMAN);
        }

        // 6. the annotators check the new pre-fill (5 s each, nothing to change), the reviewer accepts
        for (ItemInfo item : testItems) {
            correctAndAccept(item, 5);
        }

        // 7. a second snapshot holds the accepted test split; both versions are scored on it over the API
        call(post("/api/v1/datasets/" + dataset.name() + "/snapshots"), Role.CURATOR, null)
                .andExpect(status().isCreated())
                .andExpect(jsonPath("$.number").value(2))
                .andExpect(jsonPath("$.itemsPerSplit.TEST").value(org.hamcrest.Matchers.greaterThanOrEqualTo(2)));
        for (String model : List.of(base.name(), newModel)) {
            call(post("/api/v1/evaluations"), Role.CURATOR, "{\"dataset\":\"" + dataset.name() + "\",\"model\":\""
                    + model + "\",\"snapshot\":2}")
                    .andExpect(status().isCreated())
                    .andExpect(jsonPath("$.snapshotNumber").value(2));
        }

        Map<String, Evaluation> stored = new java.util.HashMap<>();
        for (Evaluation e : evaluation.latestPerModelVersion(dataset.name())) {
            stored.put(e.modelVersion(), e);
        }
        assertThat(stored).containsOnlyKeys(base.name(), newModel);
        Evaluation before = stored.get(base.name());
        Evaluation after = stored.get(newModel);
        // the snapshot's test split is the two test images (no train-imported image of this data hashes into test)
        assertThat(before.itemsEvaluated()).isEqualTo(2);
        assertThat(after.itemsEvaluated()).isEqualTo(2);
        assertThat(before.itemsMissingPrediction()).isZero();
        assertThat(after.itemsMissingPrediction()).isZero();
        assertThat(before.metrics().miou()).isCloseTo(0.6, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(before.metrics().recall()).isEqualTo(0.5);
        assertThat(after.metrics().miou()).isEqualTo(1.0);
        assertThat(after.metrics().recall()).isEqualTo(1.0);
        assertThat(after.metrics().ap50()).isGreaterThan(before.metrics().ap50());
        // (CIDEr-D is 0 for both: every reference caption is the same, so every n-gram has idf 0)
        assertThat(after.metrics().bleu4()).isGreaterThan(before.metrics().bleu4());
        call(get("/api/v1/models/" + newModel + "/evaluations"), Role.REVIEWER, null)
                .andExpect(status().isOk()).andExpect(jsonPath("$[0].metrics.miou").value(after.metrics().miou()));

        // 8. correction effort: the new version's pre-fill needed no edits, the base's did
        CorrectionEffort baseEffort = effort.effort(base.name(), dataset.name());
        CorrectionEffort newEffort = effort.effort(newModel, dataset.name());
        assertThat(baseEffort.items()).isEqualTo(6);
        assertThat(newEffort.items()).isEqualTo(2);
        assertThat(baseEffort.captionCharEdits().mean()).isEqualTo(3.0);
        assertThat(newEffort.captionCharEdits().mean()).isZero();
        assertThat(baseEffort.masksRedrawn().mean()).isEqualTo(1.0);
        assertThat(newEffort.masksRedrawn().total()).isZero();
        assertThat(newEffort.seconds().mean()).isEqualTo(5.0);
        assertThat(baseEffort.seconds().mean()).isGreaterThan(newEffort.seconds().mean());
        call(get("/api/v1/models/" + newModel + "/effort").param("dataset", dataset.name()), Role.REVIEWER, null)
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.items").value(2))
                .andExpect(jsonPath("$.captionCharEdits.total").value(0.0));
    }

    /**
     * Evaluation pre-fill: a model version that never pre-filled anything predicts, through evaluation jobs claimed
     * by the worker, on the already-accepted test split of a snapshot and is scored on it with no missing prediction,
     * while the accepted items keep their revisions and status; a version's evaluation prediction that is newer than
     * its MODEL revision is the one scored.
     */
    @Test
    void aNewVersionPredictsOnAcceptedTestItemsThroughEvaluationJobs() throws Exception {
        DatasetSummary ds = fx.dataset("eval");
        String name = ds.name();
        List<ItemInfo> tests = new ArrayList<>();
        for (int i = 1; i <= 2; i++) {
            tests.add(fx.item(ds, "held_out_" + i + ".png", 8, 6, Split.TEST));
        }
        ItemInfo train = fx.item(ds, "train.png", 8, 6, Split.TRAIN);
        assertThat(answerThroughTheWorkerApi(ds, "{\"modelVersion\":\"" + base.name() + "\"}", base.name(),
                "A cat on grass.", WRONG_DOG)).isEqualTo(3);
        for (ItemInfo item : tests) {
            correctAndAccept(item, 10);
        }
        correctAndAccept(train, 10);
        long trainRevision = revisions.latest(train.id()).orElseThrow().id();
        call(post("/api/v1/datasets/" + name + "/snapshots"), Role.CURATOR, null).andExpect(status().isCreated())
                .andExpect(jsonPath("$.itemsPerSplit.TEST").value(2));
        Map<Long, Long> acceptedRevisions = new java.util.HashMap<>();
        tests.forEach(i -> acceptedRevisions.put(i.id(), revisions.latest(i.id()).orElseThrow().id()));

        // a plain pre-fill of the new version queues nothing: every item has human work
        ModelVersion next = context.getBean(ModelVersionService.class).getOrCreate("glamm-next-" + fx.run);
        call(post("/api/v1/datasets/" + name + "/prefill"), Role.CURATOR, "{\"modelVersion\":\"" + next.name() + "\"}")
                .andExpect(status().isAccepted()).andExpect(jsonPath("$.queued").value(0));
        // bad input is refused naming the field, nothing queued
        call(post("/api/v1/datasets/" + name + "/prefill"), Role.CURATOR, "{\"modelVersion\":\"" + next.name()
                + "\",\"purpose\":\"GUESS\"}")
                .andExpect(status().isBadRequest())
                .andExpect(org.springframework.test.web.servlet.result.MockMvcResultMatchers.content().string(
                        org.hamcrest.Matchers.containsString("purpose")));
        call(post("/api/v1/datasets/" + name + "/prefill"), Role.CURATOR, "{\"modelVersion\":\"" + next.name()
                + "\",\"snapshot\":1}")
                .andExpect(status().isBadRequest())
                .andExpect(org.springframework.test.web.servlet.result.MockMvcResultMatchers.content().string(
                        org.hamcrest.Matchers.containsString("snapshot")));
        call(post("/api/v1/datasets/" + name + "/prefill"), Role.ANNOTATOR, "{\"modelVersion\":\"" + next.name()
                + "\",\"purpose\":\"EVALUATION\"}").andExpect(status().isForbidden());

        // 1. evaluation jobs over snapshot 1's test split, answered by the worker like any job
        assertThat(answerThroughTheWorkerApi(ds, "{\"modelVersion\":\"" + next.name()
                + "\",\"purpose\":\"EVALUATION\",\"snapshot\":1}", next.name(), "A dog on grass.", DOG))
                .isEqualTo(2);
        for (ItemInfo item : tests) {
            assertThat(revisions.latest(item.id()).orElseThrow().id()).isEqualTo(acceptedRevisions.get(item.id()));
            assertThat(datasets.item(item.id()).orElseThrow().status()).isEqualTo(ItemStatus.ACCEPTED);
        }
        assertThat(revisions.latest(train.id()).orElseThrow().id()).isEqualTo(trainRevision);

        // 2. scored on the snapshot (and on the current accepted items) with no missing prediction
        for (String snapshot : List.of(",\"snapshot\":1", "")) {
            call(post("/api/v1/evaluations"), Role.CURATOR, "{\"dataset\":\"" + name + "\",\"model\":\""
                    + next.name() + "\"" + snapshot + "}")
                    .andExpect(status().isCreated())
                    .andExpect(jsonPath("$.itemsEvaluated").value(2))
                    .andExpect(jsonPath("$.itemsMissingPrediction").value(0))
                    .andExpect(jsonPath("$.metrics.miou").value(1.0))
                    .andExpect(jsonPath("$.metrics.recall").value(1.0));
        }

        // 3. the base version's MODEL revisions score 0.6 mIoU; its newer evaluation predictions (the truth) win
        call(post("/api/v1/evaluations"), Role.CURATOR, "{\"dataset\":\"" + name + "\",\"model\":\""
                + base.name() + "\",\"snapshot\":1}")
                .andExpect(status().isCreated()).andExpect(jsonPath("$.itemsMissingPrediction").value(0))
                .andExpect(jsonPath("$.metrics.recall").value(0.5));
        assertThat(answerThroughTheWorkerApi(ds, "{\"modelVersion\":\"" + base.name()
                + "\",\"purpose\":\"EVALUATION\",\"snapshot\":1}", base.name(), "A dog on grass.", DOG))
                .isEqualTo(2);
        call(post("/api/v1/evaluations"), Role.CURATOR, "{\"dataset\":\"" + name + "\",\"model\":\""
                + base.name() + "\",\"snapshot\":1}")
                .andExpect(status().isCreated()).andExpect(jsonPath("$.itemsMissingPrediction").value(0))
                .andExpect(jsonPath("$.metrics.miou").value(1.0)).andExpect(jsonPath("$.metrics.recall").value(1.0));
    }

    private List<ItemInfo> all() {
        List<ItemInfo> all = new ArrayList<>(trainItems);
        all.addAll(testItems);
        return all;
    }

    /**
     * Queues the model version's pre-fill of the dataset as a curator, then plays the inference worker: claims every
     * job with a WORKER token and posts the caption with the "A dog"-or-"A cat" phrase masked by {@code firstMask}
     * and "grass" masked correctly. Returns how many jobs it answered.
     */
    private int prefillThroughTheWorkerApi(String model, String caption, MaskRle firstMask) throws Exception {
        return answerThroughTheWorkerApi(dataset, "{\"modelVersion\":\"" + model + "\"}", model, caption, firstMask);
    }

    /** Queues jobs on {@code ds} with the request {@code queueBody}, then answers them as above. */
    private int answerThroughTheWorkerApi(DatasetSummary ds, String queueBody, String model, String caption,
                                          MaskRle firstMask) throws Exception {
        String queued = call(post("/api/v1/datasets/" + ds.name() + "/prefill"), Role.CURATOR, queueBody)
                .andExpect(status().isAccepted()).andReturn().getResponse().getContentAsString();
        int expected = JsonPath.read(queued, "$.queued");
        String claimed = call(post("/api/v1/worker/jobs/claim"), Role.WORKER,
                "{\"max\":10,\"leaseSeconds\":120,\"instance\":\"gpu0\"}")
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        List<Map<String, Object>> jobs = JsonPath.read(claimed, "$.jobs");
        assertThat(jobs).hasSize(expected);
        for (Map<String, Object> job : jobs) {
            assertThat(JsonPath.<String>read(job, "$.modelVersion.name")).isEqualTo(model);
            String body = "{\"leaseToken\":\"" + job.get("leaseToken") + "\",\"caption\":\"" + caption + "\","
                    + "\"phrases\":[{\"text\":\"" + caption.substring(0, 5) + "\",\"start\":0,\"end\":5},"
                    + "{\"text\":\"grass\",\"start\":9,\"end\":14}],"
                    + "\"masks\":[" + maskJson(firstMask) + "," + maskJson(GRASS) + "]}";
            call(post("/api/v1/worker/jobs/" + ((Number) job.get("jobId")).longValue() + "/result"), Role.WORKER, body)
                    .andExpect(status().isOk()).andExpect(jsonPath("$.status").value("SUCCEEDED"));
        }
        return jobs.size();
    }

    private static String maskJson(MaskRle mask) {
        return "{\"size\":[6,8],\"counts\":\"" + mask.counts().replace("\\", "\\\\").replace("\"", "\\\"") + "\"}";
    }

    /** The annotator submits the truth on top of the latest (model) revision; the reviewer, another user, accepts. */
    private void correctAndAccept(ItemInfo item, double activeSeconds) {
        Revision latest = revisions.latest(item.id()).orElseThrow();
        SubmitResult result = editing.submit(item.id(), annotator, latest.id(), EditorDocument.of(TRUTH), activeSeconds);
        assertThat(result).isInstanceOf(SubmitResult.Submitted.class);
        review.accept(item.id(), reviewer, null);
        assertThat(datasets.item(item.id()).orElseThrow().status()).isEqualTo(ItemStatus.ACCEPTED);
    }

    private String awaitRunFinished(long runId) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (true) {
            String run = call(get("/api/v1/training/runs/" + runId), Role.CURATOR, null)
                    .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
            String status = JsonPath.read(run, "$.status");
            if (!status.equals("QUEUED") && !status.equals("RUNNING")) {
                return run;
            }
            assertThat(Instant.now()).as("run #" + runId + " still " + status).isBefore(deadline);
            Thread.sleep(100);
        }
    }

    private ResultActions call(MockHttpServletRequestBuilder request, Role role, String body) throws Exception {
        request.header(HttpHeaders.AUTHORIZATION, fx.bearer(role));
        if (body != null) {
            request.contentType(MediaType.APPLICATION_JSON).content(body);
        }
        return fx.mvc.perform(request);
    }
}
