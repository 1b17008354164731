package studio.grounding.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;
import studio.grounding.GroundingStudioApplication;
import studio.grounding.dataset.DatasetService;
import studio.grounding.dataset.ItemStatus;
import studio.grounding.mask.Rle;
import studio.grounding.model.ModelVersionService;
import studio.grounding.security.ApiTokenService;
import studio.grounding.security.Role;
import studio.grounding.security.UserAccount;
import studio.grounding.security.UserService;

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

    @Test
    void snapshotsAndTrainingRunsFromTheCommandLine() throws IOException {
        byte[] bitmap = new byte[6 * 8];
        bitmap[9] = 1;
        String counts = Rle.encode(bitmap, 6, 8).toCompressedString().replace("\\", "\\\\");
        String mask = "{\"size\": [6, 8], \"counts\": \"" + counts + "\"}";
        Path annotations = Files.writeString(dir.resolve("snap.json"), "[{\"file_name\": \"sa_1.jpg\", \"caption\": \"A dog.\","
                + " \"groundings\": {\"A dog\": {\"token_positives\": [0, 5], \"rle_masks\": [" + mask + "]}}}]");
        assertThat(run("import", "grandf", "--dataset", "snap", "--annotations", annotations.toString(),
                "--images", images.toString()).code()).isZero();

        Run empty = run("snapshot", "create", "--dataset", "snap");
        assertThat(empty.code()).isEqualTo(ExitCodes.FAILED);
        assertThat(empty.err()).contains("no ACCEPTED items");

        acceptEverythingAndRegister("snap", "glamm-cli-base");
        Run created = run("snapshot", "create", "--dataset", "snap", "--note", "from the CLI");
        assertThat(created.code()).as(created.err()).isZero();
        assertThat(created.out()).contains("Created snapshot #1").contains("1 items").contains("\"from the CLI\"");
        Path out = dir.resolve("snap-1.json");
        Run exported = run("snapshot", "export", "--dataset", "snap", "--number", "1", "--out", out.toString());
        assertThat(exported.code()).as(exported.err()).isZero();
        assertThat(Files.readString(out)).contains("\"caption\":\"A dog.\"");
        Run compared = run("snapshot", "compare", "--dataset", "snap", "--a", "1", "--b", "1");
        assertThat(compared.out()).contains("0 added, 0 removed, 0 changed, 1 unchanged");

        Run started = run("train", "start", "--base-model", "glamm-cli-base", "--dataset", "snap", "--snapshot", "1",
                "--launcher", "slurm", "-H", "gpus=2");
        assertThat(started.code()).as(started.err()).isZero();
        assertThat(started.out()).contains("QUEUED").contains("job.sbatch");
        Run status = run("train", "status");
        assertThat(status.out()).contains("run #1  QUEUED  glamm-cli-base on snapshot 1 of snap");
        Run bad = run("train", "start", "--base-model", "glamm-cli-base", "--dataset", "snap", "--snapshot", "1",
                "-H", "learning_rate=1");
        assertThat(bad.code()).isEqualTo(ExitCodes.FAILED);
        assertThat(bad.err()).contains("hyperparameters.learning_rate");
    }

    @Test
    void tokenCreatePrintsOnlyANewTokenOfThatUserOnStdout() {
        // a platform on the same data directory (as the running server would be): the CLI attaches to its database
        try (ConfigurableApplicationContext platform = StudioCli.jobApplication(GroundingStudioApplication.class)
                .run("--studio.demo.enabled=false")) {
            platform.getBean(UserService.class).create("token-cli", null, "long enough password", Set.of(Role.CURATOR));

            Run created = run("token", "create", "--user", "token-cli", "--name", "first setup");
            assertThat(created.code()).as(created.err()).isZero();
            assertThat(created.out()).as("stdout is the token and its newline, nothing else")
                    .matches("gs_[A-Za-z0-9_-]{43}\n");
            assertThat(created.err()).contains("Issued API token").contains("\"first setup\"").contains("token-cli")
                    .doesNotContain(created.out().strip());
            ApiTokenService tokens = platform.getBean(ApiTokenService.class);
            assertThat(tokens.authenticate(created.out().strip())).get().extracting(UserAccount::username)
                    .isEqualTo("token-cli");
            assertThat(tokens.list("token-cli")).singleElement().satisfies(t -> assertThat(t.name()).isEqualTo("first setup"));

            Run unknown = run("token", "create", "--user", "nobody-here", "--name", "x");
            assertThat(unknown.code()).isEqualTo(ExitCodes.FAILED);
            assertThat(unknown.out()).isEmpty();
            assertThat(unknown.err()).contains("No user named \"nobody-here\"");
        }
        Run usage = run("token", "create", "--user", "token-cli");
        assertThat(usage.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(usage.err()).contains("Missing required option: '--name");
    }

    /** What a curator does in the UI between import and snapshot: accept the items (and a model version to train). */
    private static void acceptEverythingAndRegister(String dataset, String model) {
        SpringApplication application = new SpringApplication(GroundingStudioApplication.class);
        application.setWebApplicationType(WebApplicationType.NONE);
        application.setDefaultProperties(java.util.Map.of("spring.autoconfigure.exclude",
                "com.vaadin.flow.spring.SpringBootAutoConfiguration,com.vaadin.flow.spring.SpringSecurityAutoConfiguration,"
                        + "com.vaadin.flow.spring.VaadinScopesConfig",
                "studio.demo.enabled", "false", "studio.training.recover-on-start", "false", "logging.level.root", "WARN"));
        try (ConfigurableApplicationContext context = application.run()) {
            DatasetService datasets = context.getBean(DatasetService.class);
            long id = datasets.require(dataset).id();
            datasets.items(id, java.util.List.of(), 0, 1000).forEach(i -> datasets.setStatus(i.id(), ItemStatus.ACCEPTED));
            context.getBean(ModelVersionService.class).getOrCreate(model);
        }
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
