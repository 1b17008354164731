package studio.grounding.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import studio.grounding.GroundingStudioApplication;
import studio.grounding.mask.Rle;

/**
 * The CLI jobs as a user runs them: each call starts the platform without its web server on the same data
 * directory, runs, prints its report and returns the exit code.
 */
class StudioCliTest {

    @TempDir
    static Path dir;
    static Path images;

    @BeforeAll
    static void dataDirectory() throws IOException {
        System.setProperty("studio.data-dir", dir.resolve("data").toString());
        images = Files.createDirectories(dir.resolve("images"));
        for (String name : new String[] {"sa_1.jpg", "sa_2.jpg"}) {
            ImageIO.write(new BufferedImage(8, 6, BufferedImage.TYPE_INT_RGB), "jpg", images.resolve(name).toFile());
        }
    }

    @AfterAll
    static void clear() {
        System.clearProperty("studio.data-dir");
    }

    @Test
    void importsThenExportsAndReportsBadRecordsWithANonZeroExitCode() throws IOException {
        byte[] bitmap = new byte[6 * 8];
        bitmap[7] = 1;
        bitmap[8] = 1;
        String counts = Rle.encode(bitmap, 6, 8).toCompressedString().replace("\\", "\\\\");
        String mask = "{\"size\": [6, 8], \"counts\": \"" + counts + "\"}";
        Path good = Files.writeString(dir.resolve("good.json"), "[{\"file_name\": \"sa_1.jpg\", \"caption\": \"A dog.\","
                + " \"groundings\": {\"A dog\": {\"token_positives\": [0, 5], \"rle_masks\": [" + mask + "]}}}]");
        Path bad = Files.writeString(dir.resolve("bad.json"), "[{\"file_name\": \"sa_2.jpg\", \"caption\": \"A cat.\","
                + " \"groundings\": {\"A cat\": {\"token_positives\": [0, 9], \"rle_masks\": [" + mask + "]}}}]");

        Run imported = run("import", "grandf", "--dataset", "cli", "--annotations", good.toString(),
                "--images", images.toString());
        assertThat(imported.code()).as(imported.out()).isZero();
        assertThat(imported.out()).contains("items created              1");

        Run failed = run("import", "grandf", "--dataset", "cli", "--annotations", bad.toString(),
                "--images", images.toString());
        assertThat(failed.code()).isEqualTo(ExitCodes.FAILED);
        assertThat(failed.out()).contains("bad.json record 0 groundings.A cat.token_positives");

        Path out = dir.resolve("export/cli.json");
        Run exported = run("export", "grandf", "--dataset", "cli", "--out", out.toString());
        assertThat(exported.code()).as(exported.out()).isZero();
        assertThat(Files.readString(out)).contains("\"caption\":\"A dog.\"").doesNotContain("A cat");
    }

    @Test
    void anImportCanQueueThePrefillOfItsDataset() throws IOException {
        Path empty = Files.writeString(dir.resolve("no-captions.json"), "[{\"file_name\": \"sa_2.jpg\", \"caption\": "
                + "\"Something.\", \"groundings\": {}}]");
        Run imported = run("import", "grandf", "--dataset", "cli-prefill", "--annotations", empty.toString(),
                "--images", images.toString(), "--prefill-model", "glamm-cli", "--prefill-priority", "5");
        assertThat(imported.code()).as(imported.out() + imported.err()).isZero();
        assertThat(imported.out()).contains("pre-fill with glamm-cli: 1 of 1 items queued");

        // importing again queues nothing new: the item already has a live job for that model version
        Run again = run("import", "grandf", "--dataset", "cli-prefill", "--annotations", empty.toString(),
                "--images", images.toString(), "--prefill-model", "glamm-cli");
        assertThat(again.code()).as(again.out() + again.err()).isZero();
        assertThat(again.out()).contains("pre-fill with glamm-cli: 0 of 1 items queued");
    }

    @Test
    void usageErrorsExitWith2BeforeStartingAnything() {
        Run run = run("import", "grandf", "--dataset", "x");
        assertThat(run.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains("Missing required options");
    }

    @Test
    void anUnknownDatasetFailsTheExportWithAClearMessage() {
        Run run = run("export", "jsonl", "--dataset", "no-such-dataset", "--out", dir.resolve("x.jsonl").toString());
        assertThat(run.code()).isEqualTo(ExitCodes.FAILED);
        assertThat(run.err()).contains("No dataset named \"no-such-dataset\"");
        assertThat(dir.resolve("x.jsonl")).doesNotExist();
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
