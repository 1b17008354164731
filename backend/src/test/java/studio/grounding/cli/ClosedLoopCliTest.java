package studio.grounding.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;
import studio.grounding.GroundingStudioApplication;
import studio.grounding.annotation.EditingService;
import studio.grounding.annotation.EditorDocument;
import studio.grounding.annotation.RevisionService;
import studio.grounding.annotation.SubmitResult;
import studio.grounding.dataset.DatasetService;
import studio.grounding.dataset.DatasetSummary;
import studio.grounding.dataset.ImageStore;
import studio.grounding.dataset.ItemStatus;
import studio.grounding.dataset.Split;
import studio.grounding.mask.Rle;
import studio.grounding.model.ModelVersionService;
import studio.grounding.review.ReviewService;
import studio.grounding.security.Role;
import studio.grounding.security.UserService;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Issue 5's loop from the command line: {@code ./studio import predictions} pre-fills with the base version,
 * {@code snapshot create} freezes the accepted training items, {@code train start} runs a LOCAL finetuning run (the
 * fake trainer, src/test/resources/fake-train.sh) and prints the new model version, {@code import predictions}
 * pre-fills the held-out test items with it, and {@code evaluate} scores both versions. The human steps in between
 * (correct, accept) are done through the services on the same data directory, as the UI would.
 *
 * <p>The base predicts "A cat on grass." with the dog's mask shifted (IoU 0.2), the new version the truth: mIoU 0.6
 * and recall 0.5 against 1 and 1; 3 caption edits and 1 redrawn mask per item against none.
 */
class ClosedLoopCliTest {

    static final Path FAKE_TRAIN = Path.of("src/test/resources/fake-train.sh").toAbsolutePath();
    static final Path TINY_GLAMM = Path.of("../inference-worker/src/test/resources/tiny-glamm").toAbsolutePath().normalize();
    static final String BASE = "glamm-loop-base";
    static final int H = 6;
    static final int W = 8;

    @TempDir
    static Path dir;

    @BeforeAll
    static void dataDirectory() {
        System.setProperty("studio.data-dir", dir.resolve("data").toString());
        System.setProperty("studio.training.local-command",
                "/bin/sh " + FAKE_TRAIN + " --steps 2 --delay 0.1 --model-from " + TINY_GLAMM);
        withPlatform(context -> {
            DatasetService datasets = context.getBean(DatasetService.class);
            ImageStore store = context.getBean(ImageStore.class);
            DatasetSummary dataset = datasets.getOrCreate("loop", "test");
            for (String name : List.of("train_1", "train_2", "test_1", "test_2")) {
                datasets.ensureItem(datasets.addImage(dataset.id(), name + ".png",
                        store.store(new ByteArrayInputStream(png(name.hashCode())), name + ".png"), "test",
                        name.startsWith("test") ? Split.TEST : Split.TRAIN));
            }
            context.getBean(ModelVersionService.class).getOrCreate(BASE);
            UserService users = context.getBean(UserService.class);
            users.create("ann", null, "tulip-ledger-42", Set.of(Role.ANNOTATOR));
            users.create("rev", null, "tulip-ledger-42", Set.of(Role.REVIEWER));
        });
    }

    @AfterAll
    static void clear() {
        System.clearProperty("studio.data-dir");
        System.clearProperty("studio.training.local-command");
    }

    @Test
    void snapshotTrainPrefillAndEvaluateFromTheCommandLine() throws IOException {
        Run base = run("import", "predictions", "--dataset", "loop", "--model", BASE,
                "--dir", predictions("base", "A cat on grass.", 2, "train_1", "train_2", "test_1", "test_2").toString());
        assertThat(base.code()).as(base.err() + base.out()).isZero();
        correctAndAccept("train_1.png", "train_2.png");

        Run created = run("snapshot", "create", "--dataset", "loop", "--note", "corrected train items");
        assertThat(created.code()).as(created.err()).isZero();
        assertThat(created.out()).contains("Created snapshot #1").contains("2 items");

        Run trained = run("train", "start", "--base-model", BASE, "--dataset", "loop", "--snapshot", "1", "-H", "epochs=1");
        assertThat(trained.code()).as(trained.err() + trained.out()).isZero();
        String newModel = BASE + "-ft-run1";
        assertThat(trained.out()).contains("run #1  SUCCEEDED").contains("new model version " + newModel);

        Run prefilled = run("import", "predictions", "--dataset", "loop", "--model", newModel,
                "--dir", predictions("new", "A dog on grass.", 0, "test_1", "test_2").toString());
        assertThat(prefilled.code()).as(prefilled.err() + prefilled.out()).isZero();
        correctAndAccept("test_1.png", "test_2.png");

        JsonNode before = evaluate(BASE);
        JsonNode after = evaluate(newModel);
        assertThat(before.at("/evaluation/itemsEvaluated").asInt()).isEqualTo(2);
        assertThat(after.at("/evaluation/itemsEvaluated").asInt()).isEqualTo(2);
        assertThat(before.at("/evaluation/metrics/miou").asDouble()).isCloseTo(0.6, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(before.at("/evaluation/metrics/recall").asDouble()).isEqualTo(0.5);
        assertThat(after.at("/evaluation/metrics/miou").asDouble()).isEqualTo(1.0);
        assertThat(after.at("/evaluation/metrics/recall").asDouble()).isEqualTo(1.0);
        assertThat(before.at("/effort/items").asInt()).isEqualTo(4);
        assertThat(after.at("/effort/items").asInt()).isEqualTo(2);
        assertThat(before.at("/effort/captionCharEdits/mean").asDouble()).isEqualTo(3.0);
        assertThat(after.at("/effort/captionCharEdits/mean").asDouble()).isZero();
        assertThat(before.at("/effort/masksRedrawn/mean").asDouble()).isEqualTo(1.0);
        assertThat(after.at("/effort/masksRedrawn/total").asDouble()).isZero();

        Run table = run("evaluate", "--dataset", "loop", "--model", newModel);
        assertThat(table.out()).contains("model version " + newModel + " on dataset loop").containsPattern("mIoU +100\\.0");
    }

    private static JsonNode evaluate(String model) {
        Run run = run("evaluate", "--dataset", "loop", "--model", model, "--json");
        assertThat(run.code()).as(run.err()).isZero();
        return JsonMapper.builder().build().readTree(run.out());
    }

    /** eval/gcg/infer.py output: "A dog"/"A cat" with a 3x3 mask shifted right by {@code shift}, "grass" exact. */
    private static Path predictions(String name, String caption, int shift, String... stems) throws IOException {
        Path out = Files.createDirectories(dir.resolve("predictions-" + name));
        for (String stem : stems) {
            Files.writeString(out.resolve(stem + ".json"), """
                    {"image_id": "%s", "caption": "%s", "phrases": ["%s", "grass"], "pred_masks": [%s, %s]}"""
                    .formatted(stem, caption, caption.substring(0, 5), mask(box(shift, 0, 3, 3)), mask(box(0, 4, 8, 2))));
        }
        return out;
    }

    private static EditorDocument truth() {
        return new EditorDocument("A dog on grass.", List.of(
                new EditorDocument.Phrase(0, 5, "A dog", List.of(new EditorDocument.Mask(H, W, box(0, 0, 3, 3))), false),
                new EditorDocument.Phrase(9, 14, "grass", List.of(new EditorDocument.Mask(H, W, box(0, 4, 8, 2))), false)),
                List.of(), List.of());
    }

    /** What the annotator and the reviewer do in the UI: submit the truth on the pre-fill (20 s), accept it. */
    private static void correctAndAccept(String... fileNames) {
        withPlatform(context -> {
            DatasetService datasets = context.getBean(DatasetService.class);
            RevisionService revisions = context.getBean(RevisionService.class);
            EditingService editing = context.getBean(EditingService.class);
            ReviewService review = context.getBean(ReviewService.class);
            long id = datasets.require("loop").id();
            for (var item : datasets.items(id, List.of(), 0, 100)) {
                if (!List.of(fileNames).contains(item.image().fileName())) {
                    continue;
                }
                long latest = revisions.latest(item.id()).orElseThrow().id();
                assertThat(editing.submit(item.id(), "ann", latest, truth(), 20)).isInstanceOf(SubmitResult.Submitted.class);
                review.accept(item.id(), "rev", null);
                assertThat(datasets.item(item.id()).orElseThrow().status()).isEqualTo(ItemStatus.ACCEPTED);
            }
        });
    }

    private static void withPlatform(Consumer<ConfigurableApplicationContext> work) {
        SpringApplication application = new SpringApplication(GroundingStudioApplication.class);
        application.setWebApplicationType(WebApplicationType.NONE);
        application.setDefaultProperties(Map.of("spring.autoconfigure.exclude",
                "com.vaadin.flow.spring.SpringBootAutoConfiguration,com.vaadin.flow.spring.SpringSecurityAutoConfiguration,"
                        + "com.vaadin.flow.spring.VaadinScopesConfig",
                "studio.demo.enabled", "false", "studio.training.recover-on-start", "false", "logging.level.root", "WARN"));
        try (ConfigurableApplicationContext context = application.run()) {
            work.accept(context);
        }
    }

    private static String box(int x, int y, int w, int h) {
        byte[] bitmap = new byte[H * W];
        for (int cx = x; cx < x + w; cx++) {
            for (int cy = y; cy < y + h; cy++) {
                bitmap[cx * H + cy] = 1;
            }
        }
        return Rle.encode(bitmap, H, W).toCompressedString();
    }

    private static String mask(String counts) {
        return "{\"size\": [" + H + ", " + W + "], \"counts\": \"" + counts.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}";
    }

    private static byte[] png(int seed) {
        BufferedImage image = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        image.setRGB(0, 0, seed);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", out);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private record Run(int code, String out, String err) {
    }

    private static Run run(String... args) {
        PrintStream originalOut = System.out;
        PrintStream originalErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = StudioCli.run(GroundingStudioApplication.class, args);
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(originalOut);
            System.setErr(originalErr);
        }
    }
}
