package studio.grounding.interchange;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import studio.grounding.StudioIntegrationTest;
import studio.grounding.dataset.DatasetService;
import studio.grounding.dataset.Split;

/**
 * Records are stored {@value ImportService#BATCH} per transaction; a record that fails inside the transaction
 * (here: its masks do not fit its image, which only the revision's validation sees, because the record gives no
 * height/width) must still be refused alone, with the rest of its batch stored once and counted once.
 */
@StudioIntegrationTest
class ImportBatchTest {

    @Autowired
    RecordImporter importer;
    @Autowired
    DatasetService datasets;
    @Autowired
    JdbcClient jdbc;

    @TempDir
    Path dir;

    @Test
    void aRecordRefusedInsideTheBatchTransactionLeavesTheRestOfTheBatchImportedOnce() throws IOException {
        Path images = Files.createDirectories(dir.resolve("images"));
        int n = ImportService.BATCH;
        int bad = 7;
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            // the bad record's image is 40 high, 30 wide: the 15×20 masks don't fit
            ImportServiceTest.image(images.resolve("b_" + i + ".jpg"), i == bad ? 30 : Fixtures.W,
                    i == bad ? 40 : Fixtures.H);
            lines.add(Fixtures.grandfRecord("b_" + i, "A man rides.", Fixtures.grounding("A man", 0, 5,
                    Fixtures.MAN, Fixtures.HORSE)));
        }
        Path file = Fixtures.write(dir, "batch.json", "[" + String.join(",\n", lines) + "]");
        // without a height/width in the record, only the revision's validation (inside the transaction) sees it
        List<SourceRecord> records = ImportServiceTest.read(new GrandfReader(), file).stream()
                .map(r -> new SourceRecord(r.index(), r.fileName(), r.imageId(), null, null, r.caption(),
                        r.warnings(), r.metadata()))
                .toList();
        String dataset = "batch-" + System.nanoTime();
        ImportRequest request = new ImportRequest(dataset, ImportFormat.GRANDF, file, null, images, null, Split.TRAIN,
                "tester");
        RecordImporter.Target target = new RecordImporter.Target(datasets.getOrCreate(dataset, "tester").id(),
                request, null);
        ImportRuns.ImportCounts counts = new ImportRuns.ImportCounts();
        List<ImportProblem> problems = new ArrayList<>();

        importer.importRecords(records, target, counts, problems::add);

        assertThat(problems).singleElement().satisfies(p -> {
            assertThat(p.recordIndex()).isEqualTo(bad);
            assertThat(p.field()).contains("masks[0].size");
        });
        assertThat(counts.created.get()).isEqualTo(n - 1);
        assertThat(counts.masks.get()).isEqualTo(2L * (n - 1));
        assertThat(revisionsIn(dataset)).isEqualTo(n - 1);
        assertThat(jdbc.sql("""
                        select count(*) from images g join datasets d on d.id = g.dataset_id
                        where d.name = :ds and g.file_name = :f""")
                .param("ds", dataset).param("f", "b_" + bad + ".jpg").query(Long.class).single()).isZero();

        ImportRuns.ImportCounts again = new ImportRuns.ImportCounts();
        problems.clear();
        importer.importRecords(records, target, again, problems::add);

        assertThat(again.unchanged.get()).isEqualTo(n - 1);
        assertThat(problems).hasSize(1);
        assertThat(again.created.get() + again.updated.get()).isZero();
        assertThat(revisionsIn(dataset)).isEqualTo(n - 1);
    }

    private long revisionsIn(String dataset) {
        return jdbc.sql("""
                        select count(*) from caption_revisions r join items i on i.id = r.item_id
                        join datasets d on d.id = i.dataset_id where d.name = :ds""")
                .param("ds", dataset).query(Long.class).single();
    }
}
