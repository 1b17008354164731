package studio.grounding.interchange;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import studio.grounding.StudioIntegrationTest;
import studio.grounding.annotation.EditingService;
import studio.grounding.annotation.GroundedCaption;
import studio.grounding.annotation.NewRevision;
import studio.grounding.annotation.Origin;
import studio.grounding.annotation.PhraseSpan;
import studio.grounding.annotation.Revision;
import studio.grounding.annotation.RevisionService;
import studio.grounding.dataset.DatasetService;
import studio.grounding.dataset.ItemInfo;
import studio.grounding.dataset.ItemStatus;
import studio.grounding.dataset.Split;

/** Imports through the real service into the embedded PostgreSQL, and exports back. */
@StudioIntegrationTest
class ImportServiceTest {

    @Autowired
    ImportService imports;
    @Autowired
    ExportService exports;
    @Autowired
    DatasetService datasets;
    @Autowired
    RevisionService revisions;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    EditingService editing;

    @TempDir
    Path dir;
    Path images;
    String dataset;

    @BeforeEach
    void images() throws IOException {
        images = Files.createDirectories(dir.resolve("images"));
        for (String name : List.of("sa_1.jpg", "sa_2.jpg", "sa_3.jpg")) {
            image(images.resolve(name), Fixtures.W, Fixtures.H);
        }
        dataset = "import-" + System.nanoTime();
    }

    @Test
    void importsGrandfAndExportsTheSameCaptionsSpansAndRleStrings() throws IOException {
        Path file = Fixtures.write(dir, "GranDf_HA_GCG_train.json", Fixtures.grandfGood());

        ImportReport report = imports.run(grandf(file), ImportProgress.NONE);

        assertThat(report.problems()).isEmpty();
        assertThat(report.created()).isEqualTo(2);
        assertThat(report.masks()).isEqualTo(5);
        List<SourceRecord> original = read(new GrandfReader(), file);
        // records are stored by several import threads, so item ids (the export order) need not follow the file
        List<SourceRecord> exported = byFileName(read(new GrandfReader(), exportGrandf()));
        assertThat(exported).extracting(SourceRecord::fileName).containsExactly("sa_1.jpg", "sa_2.jpg");
        assertThat(exported).extracting(SourceRecord::caption)
                .containsExactlyElementsOf(byFileName(original).stream().map(SourceRecord::caption).toList());
        // the quoted caption was normalised on import, as GLaMM's loader does
        assertThat(exported.get(1).caption().caption()).isEqualTo("A horse stands.");
    }

    @Test
    void runningTheSameImportTwiceChangesNothing() {
        Path file = Fixtures.write(dir, "GranDf_HA_GCG_train.json", Fixtures.grandfGood());
        imports.run(grandf(file), ImportProgress.NONE);
        long revisionsBefore = count("caption_revisions");
        long masksBefore = count("masks");

        ImportReport again = imports.run(grandf(file), ImportProgress.NONE);

        assertThat(again.unchanged()).isEqualTo(2);
        assertThat(again.created() + again.updated() + again.failed()).isZero();
        assertThat(count("caption_revisions")).isEqualTo(revisionsBefore);
        assertThat(count("masks")).isEqualTo(masksBefore);
    }

    @Test
    void badRecordsAreReportedWithFileRecordAndFieldWhileTheRestIsImported() {
        String records = "[\n"
                + Fixtures.grandfRecord("sa_1", "A man rides.", Fixtures.grounding("A man", 0, 5, Fixtures.MAN)) + ",\n"
                + Fixtures.grandfRecord("sa_2", "A dog.", Fixtures.grounding("A dog", 0, 50, Fixtures.MAN)) + ",\n"
                + Fixtures.grandfRecord("sa_9", "A cat.", Fixtures.grounding("A cat", 0, 5, Fixtures.MAN)) + ",\n"
                + Fixtures.grandfRecord("sa_3", "A cow.", Fixtures.grounding("A cow", 0, 5, Fixtures.MAN)) + "\n]";
        Path file = Fixtures.write(dir, "mixed.json", records);

        ImportReport report = imports.run(grandf(file), ImportProgress.NONE);

        assertThat(report.created()).isEqualTo(2);
        assertThat(report.failed()).isEqualTo(2);
        assertThat(report.succeeded()).isFalse();
        assertThat(report.problems()).extracting(ImportProblem::file, ImportProblem::recordIndex, ImportProblem::field)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("mixed.json", 1L, "groundings.A dog.token_positives"),
                        org.assertj.core.groups.Tuple.tuple("mixed.json", 2L, "file_name"));
        assertThat(report.problems().get(1).reason()).contains("sa_9.jpg not found");
        // the problems are kept with the import run
        assertThat(jdbc.sql("select count(*) from import_problems where run_id = :r").param("r", report.runId())
                .query(Long.class).single()).isEqualTo(2);
        assertThat(jdbc.sql("select status from import_runs where id = :r").param("r", report.runId())
                .query(String.class).single()).isEqualTo("FAILED");
    }

    @Test
    void aRecordWithTwoProblemsIsReadOnceAndFailedOnceWithBothProblemsListed() throws IOException {
        StringBuilder records = new StringBuilder("[\n");
        for (int i = 1; i <= 10; i++) {
            image(images.resolve("ten_" + i + ".jpg"), Fixtures.W, Fixtures.H);
            String groundings = i == 5
                    ? Fixtures.grounding("A dog", 0, 50, Fixtures.MAN) + ", " + Fixtures.grounding("a cat", 40, 60, Fixtures.MAN)
                    : Fixtures.grounding("A man", 0, 5, Fixtures.MAN);
            records.append(Fixtures.grandfRecord("ten_" + i, i == 5 ? "A dog and a cat." : "A man rides.", groundings))
                    .append(i < 10 ? ",\n" : "\n]");
        }
        Path file = Fixtures.write(dir, "ten.json", records.toString());

        ImportReport report = imports.run(grandf(file), ImportProgress.NONE);

        assertThat(report.read()).as("records read of a 10-record file").isEqualTo(10);
        assertThat(report.failed()).isEqualTo(1);
        assertThat(report.created()).isEqualTo(9);
        assertThat(report.problems()).extracting(ImportProblem::recordIndex, ImportProblem::field).containsExactly(
                org.assertj.core.groups.Tuple.tuple(4L, "groundings.A dog.token_positives"),
                org.assertj.core.groups.Tuple.tuple(4L, "groundings.a cat.token_positives"));
        assertThat(jdbc.sql("select records_read || '/' || records_failed from import_runs where id = :r")
                .param("r", report.runId()).query(String.class).single()).isEqualTo("10/1");
        assertThat(jdbc.sql("select count(*) from import_problems where run_id = :r").param("r", report.runId())
                .query(Long.class).single()).isEqualTo(2);
    }

    @Test
    void runningImportsWhoseProcessIsGoneAreMarkedFailedInterruptedAndLiveOnesAreLeftAlone(
            @Autowired ImportRunRecovery recovery) throws Exception {
        long datasetId = datasets.getOrCreate(dataset, "test").id();
        Process finished = new ProcessBuilder("true").start();
        finished.waitFor();
        ProcessHandle self = ProcessHandle.current();
        String host = ImportRunOwner.hostName();
        long dead = runningRun(datasetId, host, finished.pid(), java.time.Instant.now());
        long alive = runningRun(datasetId, host, self.pid(), self.info().startInstant().orElseThrow());
        long reusedPid = runningRun(datasetId, host, self.pid(), self.info().startInstant().orElseThrow().minusSeconds(3600));
        long legacy = runningRun(datasetId, null, null, null);
        long otherHost = runningRun(datasetId, host + "-elsewhere", finished.pid(), java.time.Instant.now());

        recovery.recover();

        assertThat(statusOf(dead)).startsWith("FAILED interrupted: its process " + finished.pid() + " on " + host);
        assertThat(statusOf(reusedPid)).startsWith("FAILED interrupted");
        assertThat(statusOf(legacy)).startsWith("FAILED interrupted: started by an earlier version");
        assertThat(statusOf(alive)).isEqualTo("RUNNING ");
        assertThat(statusOf(otherHost)).isEqualTo("RUNNING ");
        assertThat(jdbc.sql("select finished_at is not null from import_runs where id = :r").param("r", dead)
                .query(Boolean.class).single()).isTrue();
        jdbc.sql("delete from import_runs where id in (:ids)").param("ids", List.of(alive, otherHost)).update();
    }

    @Test
    void anImportRecordsItsProcess() {
        Path file = Fixtures.write(dir, "GranDf_HA_GCG_train.json", Fixtures.grandfGood());
        ImportReport report = imports.run(grandf(file), ImportProgress.NONE);
        assertThat(jdbc.sql("select owner_host || ' ' || owner_pid from import_runs where id = :r").param("r", report.runId())
                .query(String.class).single()).isEqualTo(ImportRunOwner.hostName() + " " + ProcessHandle.current().pid());
    }

    private long runningRun(long datasetId, String host, Long pid, java.time.Instant started) {
        return jdbc.sql("""
                        insert into import_runs (dataset_id, format, source, started_by, owner_host, owner_pid, owner_started_at)
                        values (:ds, 'GRANDF', 'x.json', 'test', :host, :pid, :started) returning id""")
                .param("ds", datasetId).param("host", host).param("pid", pid)
                .param("started", started == null ? null : java.sql.Timestamp.from(started)).query(Long.class).single();
    }

    private String statusOf(long run) {
        return jdbc.sql("select status || ' ' || coalesce(failure, '') from import_runs where id = :r").param("r", run)
                .query(String.class).single();
    }

    @Test
    void aRecordWhoseMaskDoesNotFitItsImageIsRefusedWhole() throws IOException {
        image(images.resolve("sa_1.jpg"), 30, 40);  // the file is 40 high, 30 wide: the 15×20 masks don't fit
        Path file = Fixtures.write(dir, "sizes.json", "[" + Fixtures.grandfRecord("sa_1", "A man.",
                Fixtures.grounding("A man", 0, 5, Fixtures.MAN)).replace("\"height\": 15, \"width\": 20, ", "") + "]");

        ImportReport report = imports.run(grandf(file), ImportProgress.NONE);

        assertThat(report.failed()).isEqualTo(1);
        assertThat(report.problems().getFirst().field()).isEqualTo("height/width");
        assertThat(report.problems().getFirst().reason()).contains("15×20").contains("40×30");
        assertThat(count("caption_revisions")).isZero();
    }

    @Test
    void predictionsPrefillExistingItemsAndNeverOverwriteHumanWork() {
        imports.run(grandf(Fixtures.write(dir, "gt.json", Fixtures.grandfGood())), ImportProgress.NONE);
        Path predictions = dir.resolve("predictions");
        Fixtures.write(mkdirs(predictions), "sa_1.json", """
                {"image_id": "sa_1", "caption": "The image shows a man and a horse near a fence.",
                 "phrases": ["a man", "a horse", "a fence"], "pred_masks": [%s, %s]}""".formatted(
                Fixtures.mask(Fixtures.MAN), Fixtures.mask(Fixtures.HORSE)));
        Fixtures.write(predictions, "sa_2.json", """
                {"image_id": "sa_2", "caption": "A horse.", "phrases": ["A horse"], "pred_masks": [%s]}"""
                .formatted(Fixtures.mask(Fixtures.HORSE)));
        ItemInfo sa2 = itemOf("sa_2.jpg");
        Revision human = revisions.append(new NewRevision(sa2.id(), sa2.latestRevisionId(),
                new GroundedCaption("A brown horse stands.", List.of(new PhraseSpan(0, 13, "A brown horse", List.of()))),
                Origin.HUMAN, "annotator", null, null, List.of(), null, Fixtures.H, Fixtures.W));

        ImportReport report = imports.run(new ImportRequest(dataset, ImportFormat.PREDICTIONS, predictions, null, null,
                "glamm-gcg-v1", null, "cli"), ImportProgress.NONE);

        assertThat(report.updated()).isEqualTo(1);
        assertThat(report.problems()).singleElement().satisfies(p -> {
            assertThat(p.file()).isEqualTo("sa_2.json");
            assertThat(p.reason()).contains("human edits");
        });
        Revision prefill = revisions.latest(itemOf("sa_1.jpg").id()).orElseThrow();
        assertThat(prefill.origin()).isEqualTo(Origin.MODEL);
        assertThat(prefill.caption().phrases()).extracting(PhraseSpan::text).containsExactly("a man", "a horse", "a fence");
        assertThat(prefill.caption().phrases().get(2).masks()).isEmpty();
        assertThat(prefill.warnings()).isNotEmpty();
        assertThat(itemOf("sa_1.jpg").status()).isEqualTo(ItemStatus.PREFILLED);
        assertThat(revisions.latest(sa2.id())).contains(human);
    }

    @Test
    void cocoGcgPairExportsAndImportsBackToTheSameCaptions() throws IOException {
        imports.run(grandf(Fixtures.write(dir, "gt.json", Fixtures.grandfGood())), ImportProgress.NONE);
        Path out = dir.resolve("coco");
        ExportReport report = exports.exportCocoGcg(ExportRequest.all(dataset), out);
        assertThat(report.records()).isEqualTo(2);
        assertThat(out.resolve("train_gcg_coco_mask_gt.json")).exists();
        assertThat(out.resolve("train_gcg_coco_caption_gt.json")).exists();

        String copy = dataset + "-copy";
        ImportReport back = imports.run(new ImportRequest(copy, ImportFormat.COCO_GCG,
                out.resolve("train_gcg_coco_mask_gt.json"), out.resolve("train_gcg_coco_caption_gt.json"), images,
                null, Split.VAL, "cli"), ImportProgress.NONE);

        assertThat(back.problems()).isEmpty();
        List<SourceRecord> original = read(new GrandfReader(), exportGrandf());
        ByteArrayOutputStream again = new ByteArrayOutputStream();
        exports.exportGrandf(ExportRequest.all(copy), again);
        List<SourceRecord> roundTripped = read(new GrandfReader(), Fixtures.write(dir, "again.json", again.toString()));
        assertThat(roundTripped).extracting(SourceRecord::caption)
                .containsExactlyInAnyOrderElementsOf(original.stream().map(SourceRecord::caption).toList());
    }

    /**
     * Issue 10 §3: JPEGs of all 8 EXIF orientations whose oriented frame is 20 wide and 15 high (stored 15 x 20 for
     * 5..8): the stored size is the oriented one and the 15x20 masks (GLaMM's frame) fit.
     */
    @Test
    void rotatedJpegsKeepTheirOrientedSizeAndTheirMasksFit() {
        StringBuilder records = new StringBuilder("[");
        for (int o = 1; o <= 8; o++) {
            boolean quarter = o >= 5;
            studio.grounding.dataset.ExifJpeg.write(images.resolve("rot" + o + ".jpg"), quarter ? Fixtures.H : Fixtures.W,
                    quarter ? Fixtures.W : Fixtures.H, o);
            records.append(o == 1 ? "" : ",").append(Fixtures.grandfRecord("rot" + o, "A man.",
                    Fixtures.grounding("A man", 0, 5, Fixtures.MAN)));
        }
        ImportReport report = imports.run(grandf(Fixtures.write(dir, "rot.json", records + "]")), ImportProgress.NONE);
        assertThat(report.problems()).isEmpty();
        assertThat(report.created()).isEqualTo(8);
        for (int o = 1; o <= 8; o++) {
            ItemInfo item = itemOf("rot" + o + ".jpg");
            assertThat(item.image().width()).as("orientation " + o).isEqualTo(Fixtures.W);
            assertThat(item.image().height()).as("orientation " + o).isEqualTo(Fixtures.H);
        }
    }

    /** Issue 10 §1: several caption annotations of an image are imported, stored, carried forward and exported. */
    @Test
    void everyReferenceCaptionIsImportedStoredAndExportedAgain() throws IOException {
        Path masks = Fixtures.write(dir, "test_gcg_coco_mask_gt.json", "{\"images\": [{\"id\": \"sa_1\", "
                + "\"file_name\": \"sa_1.jpg\", \"height\": 15, \"width\": 20}], \"categories\": [{\"id\": 1}], "
                + "\"annotations\": [{\"id\": 1, \"image_id\": \"sa_1\", \"category_id\": 1, \"iscrowd\": 0, "
                + "\"segmentation\": " + Fixtures.mask(Fixtures.MAN) + "}]}");
        Path caps = Fixtures.write(dir, "test_gcg_coco_caption_gt.json", "{\"images\": [{\"id\": \"sa_1\"}], "
                + "\"annotations\": [{\"id\": 7, \"image_id\": \"sa_1\", \"caption\": \"A man stands.\", "
                + "\"labels\": [\"a man\"]}, {\"id\": 8, \"image_id\": \"sa_1\", \"caption\": \"Someone is there.\", "
                + "\"labels\": []}, {\"id\": 9, \"image_id\": \"sa_1\", \"caption\": \"A person.\", \"labels\": []}]}");
        ImportReport report = imports.run(new ImportRequest(dataset, ImportFormat.COCO_GCG, masks, caps, images, null,
                Split.TEST, "test"), ImportProgress.NONE);
        assertThat(report.problems()).isEmpty();
        ItemInfo item = itemOf("sa_1.jpg");
        Revision imported = revisions.latest(item.id()).orElseThrow();
        assertThat(imported.caption().caption()).isEqualTo("A man stands.");
        assertThat(revisions.otherReferences(List.of(imported.id())))
                .containsEntry(imported.id(), List.of("Someone is there.", "A person."));

        // exported unchanged: the label comes back as written ("a man", the caption says "A man")
        Path unchanged = dir.resolve("coco-unchanged");
        exports.exportCocoGcg(ExportRequest.all(dataset), unchanged);
        assertThat(Json.MAPPER.readTree(unchanged.resolve("test_gcg_coco_caption_gt.json")).get("annotations").get(0)
                .get("labels").toString()).isEqualTo("[\"a man\"]");

        // a revision made from it (a human edit) keeps the references: they are ground truth of the image
        Revision edited = revisions.append(new NewRevision(item.id(), imported.id(), new GroundedCaption(
                "A man stands there.", imported.caption().phrases()), Origin.HUMAN, "ann", null, null, List.of(),
                null, Fixtures.H, Fixtures.W));
        assertThat(revisions.otherReferences(List.of(edited.id())))
                .containsEntry(edited.id(), List.of("Someone is there.", "A person."));

        Path out = dir.resolve("coco-refs");
        exports.exportCocoGcg(ExportRequest.all(dataset), out);
        tools.jackson.databind.JsonNode exported = Json.MAPPER.readTree(out.resolve("test_gcg_coco_caption_gt.json"));
        assertThat(PycocotoolsStructure.captionFileErrors(exported)).isEmpty();
        assertThat(exported.get("annotations")).extracting(a -> a.get("caption").stringValue())
                .containsExactly("A man stands there.", "Someone is there.", "A person.");
        assertThat(PycocotoolsStructure.maskFileErrors(
                Json.MAPPER.readTree(out.resolve("test_gcg_coco_mask_gt.json")))).isEmpty();
    }

    private static List<SourceRecord> byFileName(List<SourceRecord> records) {
        return records.stream().sorted(java.util.Comparator.comparing(SourceRecord::fileName)).toList();
    }

    private ImportRequest grandf(Path file) {
        return new ImportRequest(dataset, ImportFormat.GRANDF, file, null, images, null, Split.TRAIN, "test");
    }

    private Path exportGrandf() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        exports.exportGrandf(ExportRequest.all(dataset), out);
        return Fixtures.write(dir, "export-" + System.nanoTime() + ".json", out.toString());
    }

    private ItemInfo itemOf(String fileName) {
        long id = datasets.require(dataset).id();
        return datasets.itemOfImage(datasets.findImage(id, fileName).orElseThrow().id()).orElseThrow();
    }

    private long count(String table) {
        return jdbc.sql("select count(*) from " + table + " r where exists (select 1 from items i join datasets d on "
                        + "d.id = i.dataset_id where d.name = :ds and i.id = " + (table.equals("masks")
                        ? "(select item_id from caption_revisions c where c.id = r.revision_id)" : "r.item_id") + ")")
                .param("ds", dataset).query(Long.class).single();
    }

    @Test
    void emojiCaptionsImportOnWholeCharactersAndControlCharactersAreRefusedNamingTheField() {
        // GranD_f spans count code points (Python): [3, 12) is "A red box" after the two dogs and the blank
        String emoji = "\uD83D\uDC36\uD83D\uDC36 A red box.";
        String records = "[\n"
                + Fixtures.grandfRecord("sa_1", emoji, Fixtures.grounding("A red box", 3, 12, Fixtures.MAN)) + ",\n"
                + Fixtures.grandfRecord("sa_2", "A dog\u0000.", Fixtures.grounding("A dog", 0, 5, Fixtures.MAN)) + ",\n"
                + Fixtures.grandfRecord("sa_3", "A cow\u0007.", Fixtures.grounding("A cow", 0, 5, Fixtures.MAN)) + "\n]";
        Path file = Fixtures.write(dir, "controls.json", records);

        ImportReport report = imports.run(grandf(file), ImportProgress.NONE);

        assertThat(report.created()).isEqualTo(1);
        assertThat(report.problems()).extracting(ImportProblem::file, ImportProblem::recordIndex, ImportProblem::field)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("controls.json", 1L, "caption"),
                        org.assertj.core.groups.Tuple.tuple("controls.json", 2L, "caption"));
        assertThat(report.problems()).allSatisfy(p -> assertThat(p.reason()).contains("control character"));
        Revision stored = revisions.latest(itemOf("sa_1.jpg").id()).orElseThrow();
        assertThat(stored.caption().caption()).isEqualTo(emoji);
        PhraseSpan phrase = stored.caption().phrases().getFirst();
        assertThat(phrase.text()).isEqualTo("A red box");
        assertThat(emoji.substring(phrase.start(), phrase.end())).isEqualTo("A red box");
        long datasetId = datasets.require(dataset).id();
        assertThat(datasets.findImage(datasetId, "sa_2.jpg")).as("nothing of a refused record is stored").isEmpty();
        assertThat(datasets.findImage(datasetId, "sa_3.jpg")).isEmpty();
    }

    @Test
    void predictionsNeverOverrideAnItemAnAnnotatorHasStarted() {
        imports.run(grandf(Fixtures.write(dir, "gt.json", Fixtures.grandfGood())), ImportProgress.NONE);
        ItemInfo started = itemOf("sa_2.jpg");
        Long imported = started.latestRevisionId();
        editing.saveDraft(started.id(), "annotator", imported,
                "{\"caption\":\"My words.\",\"phrases\":[],\"unlinkedMasks\":[],\"accepted\":[]}");
        assertThat(itemOf("sa_2.jpg").status()).isEqualTo(ItemStatus.IN_PROGRESS);
        Path predictions = mkdirs(dir.resolve("predictions"));
        Fixtures.write(predictions, "sa_2.json", """
                {"image_id": "sa_2", "caption": "A horse.", "phrases": ["A horse"], "pred_masks": [%s]}"""
                .formatted(Fixtures.mask(Fixtures.HORSE)));

        ImportReport report = imports.run(new ImportRequest(dataset, ImportFormat.PREDICTIONS, predictions, null, null,
                "glamm-gcg-v1", null, "cli"), ImportProgress.NONE);

        assertThat(report.problems()).singleElement().satisfies(p -> {
            assertThat(p.file()).isEqualTo("sa_2.json");
            assertThat(p.reason()).contains("IN_PROGRESS");
        });
        ItemInfo after = itemOf("sa_2.jpg");
        assertThat(after.status()).isEqualTo(ItemStatus.IN_PROGRESS);
        assertThat(after.latestRevisionId()).as("the annotator's base stays the latest revision").isEqualTo(imported);
        assertThat(revisions.latest(after.id(), Origin.MODEL)).isEmpty();
    }

    static List<SourceRecord> read(RecordReader reader, Path file) {
        CollectingSink sink = new CollectingSink();
        try {
            reader.read(file, sink);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertThat(sink.problems()).isEmpty();
        return sink.records();
    }

    static void image(Path file, int width, int height) throws IOException {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        image.setRGB(0, 0, 0xff8800);
        ImageIO.write(image, "jpg", file.toFile());
    }

    private static Path mkdirs(Path path) {
        try {
            return Files.createDirectories(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
