package studio.grounding.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;
import studio.grounding.GroundingStudioApplication;
import studio.grounding.annotation.GroundedCaption;
import studio.grounding.annotation.MaskRle;
import studio.grounding.annotation.NewRevision;
import studio.grounding.annotation.Origin;
import studio.grounding.annotation.PhraseSpan;
import studio.grounding.annotation.Revision;
import studio.grounding.annotation.RevisionService;
import studio.grounding.dataset.DatasetService;
import studio.grounding.dataset.DatasetSummary;
import studio.grounding.dataset.ImageStore;
import studio.grounding.dataset.ItemInfo;
import studio.grounding.dataset.ItemStatus;
import studio.grounding.dataset.Split;
import studio.grounding.mask.Rle;
import studio.grounding.model.ModelVersionService;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code ./studio evaluate} as a user runs it: the data is stored by a platform started on a data directory, then
 * the CLI job starts on the same directory, scores, stores and prints the table and the JSON.
 *
 * <p>Two accepted test items; model {@code glamm-a} predicted one of them exactly (image mIoU 1, its label a true
 * positive) and has no prediction for the other (image mIoU 0, label counted): mIoU 50, recall 50.
 */
class EvaluateCliTest {

    @TempDir
    static Path dir;

    @BeforeAll
    static void data() throws IOException {
        System.setProperty("studio.data-dir", dir.resolve("data").toString());
        SpringApplication app = new SpringApplication(GroundingStudioApplication.class);
        app.setWebApplicationType(WebApplicationType.NONE);
        app.setDefaultProperties(Map.of("logging.level.root", "WARN", "spring.main.banner-mode", "off"));
        try (ConfigurableApplicationContext context = app.run()) {
            DatasetService datasets = context.getBean(DatasetService.class);
            RevisionService revisions = context.getBean(RevisionService.class);
            ImageStore store = context.getBean(ImageStore.class);
            long model = context.getBean(ModelVersionService.class).getOrCreate("glamm-a").id();
            DatasetSummary dataset = datasets.getOrCreate("cli-eval", "test");
            GroundedCaption truth = new GroundedCaption("A dog.",
                    List.of(new PhraseSpan(0, 5, "A dog", List.of(box()))));
            for (String name : List.of("one.png", "two.png")) {
                ItemInfo item = datasets.ensureItem(datasets.addImage(dataset.id(), name,
                        store.store(new ByteArrayInputStream(png(name.hashCode())), name), "test", Split.TEST));
                Long parent = null;
                if (name.equals("one.png")) {
                    Revision pre = revisions.append(new NewRevision(item.id(), null, truth, Origin.MODEL, "worker",
                            model, null, List.of(), Map.of(), 6, 8));
                    parent = pre.id();
                }
                revisions.append(new NewRevision(item.id(), parent, truth, Origin.HUMAN, "annotator", null, null,
                        List.of(), Map.of("activeSeconds", 12.0), 6, 8));
                datasets.setStatus(item.id(), ItemStatus.ACCEPTED);
            }
        }
    }

    @AfterAll
    static void clear() {
        System.clearProperty("studio.data-dir");
    }

    @Test
    void printsTheMetricsAsATableAndJsonWithTheCorrectionEffort() {
        Run run = run("evaluate", "--dataset", "cli-eval", "--model", "glamm-a");
        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out())
                .contains("model version glamm-a on dataset cli-eval (accepted test items now)")
                .contains("2 items, 1 without a prediction")
                .containsPattern("mIoU +50\\.0")
                .containsPattern("recall +50\\.0  text similarity fallback: exact-match, not the official number")
                .contains("note: 1 of 2 item(s) have no prediction by glamm-a")
                .contains("Correction effort of glamm-a on cli-eval: 1 items")
                .containsPattern("seconds +12\\.00 +12\\.00 +12\\.0");
        JsonNode json = JsonMapper.builder().build().readTree(run.out().substring(run.out().indexOf("\n{") + 1));
        assertThat(json.at("/evaluation/metrics/miou").asDouble()).isEqualTo(0.5);
        assertThat(json.at("/evaluation/recallLabel").asString())
                .isEqualTo("fallback: exact-match, not the official number");
        assertThat(json.at("/evaluation/itemsMissingPrediction").asInt()).isEqualTo(1);
        assertThat(json.at("/effort/items").asInt()).isEqualTo(1);
    }

    @Test
    void jsonOnlyPrintsOneJsonDocument() {
        Run run = run("evaluate", "--dataset", "cli-eval", "--model", "glamm-a", "--json");
        assertThat(run.code()).as(run.err()).isZero();
        JsonNode json = JsonMapper.builder().build().readTree(run.out());
        assertThat(json.at("/evaluation/recallOfficial").asBoolean()).isFalse();
        assertThat(json.at("/evaluation/metrics/recall").asDouble()).isEqualTo(0.5);
    }

    @Test
    void badArgumentsExitNonZeroWithAClearMessage() {
        Run missing = run("evaluate", "--dataset", "cli-eval");
        assertThat(missing.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(missing.err()).contains("Missing required option: '--model=<model>'");

        Run notANumber = run("evaluate", "--dataset", "cli-eval", "--model", "glamm-a", "--snapshot", "x");
        assertThat(notANumber.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(notANumber.err()).contains("--snapshot");

        Run unknownModel = run("evaluate", "--dataset", "cli-eval", "--model", "nope");
        assertThat(unknownModel.code()).isEqualTo(ExitCodes.FAILED);
        assertThat(unknownModel.err()).contains("error: No model version named \"nope\"");

        Run unknownDataset = run("evaluate", "--dataset", "nope", "--model", "glamm-a");
        assertThat(unknownDataset.code()).isEqualTo(ExitCodes.FAILED);
        assertThat(unknownDataset.err()).contains("error: No dataset named \"nope\"");
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

    /** A 2x2 box in a 6x8 image. */
    private static MaskRle box() {
        byte[] bitmap = new byte[6 * 8];
        bitmap[7] = 1;
        bitmap[8] = 1;
        bitmap[13] = 1;
        bitmap[14] = 1;
        return new MaskRle(6, 8, Rle.encode(bitmap, 6, 8).toCompressedString());
    }

    private static byte[] png(int seed) throws IOException {
        BufferedImage image = new BufferedImage(8, 6, BufferedImage.TYPE_INT_RGB);
        image.setRGB(0, 0, seed);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }
}
