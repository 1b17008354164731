package studio.grounding.interchange;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import studio.grounding.dataset.DatasetService;
import studio.grounding.dataset.DatasetSummary;
import studio.grounding.model.ModelVersionService;

/**
 * Runs imports: streams the records of a file, validates each one and stores it atomically, and reports every
 * bad record (file, record index, field, reason) while importing the rest. Running the same import twice
 * changes nothing the second time. Memory stays flat whatever the file size.
 */
@Service
public class ImportService {

    private static final Logger log = LoggerFactory.getLogger(ImportService.class);
    private static final int PROGRESS_EVERY = 500;
    /** The report keeps this many problems in memory; the import run in the database keeps them all. */
    static final int MAX_PROBLEMS_IN_REPORT = 1000;

    private final DatasetService datasets;
    private final ModelVersionService models;
    private final RecordImporter importer;
    private final ImportRuns runs;

    ImportService(DatasetService datasets, ModelVersionService models, RecordImporter importer, ImportRuns runs) {
        this.datasets = datasets;
        this.models = models;
        this.importer = importer;
        this.runs = runs;
    }

    public ImportReport run(ImportRequest request, ImportProgress progress) {
        checkInputs(request);
        DatasetSummary dataset = request.format() == ImportFormat.PREDICTIONS
                ? datasets.require(request.dataset())
                : datasets.getOrCreate(request.dataset(), request.startedBy());
        Long modelVersionId = request.format() == ImportFormat.PREDICTIONS
                ? models.getOrCreate(request.model()).id() : null;
        long runId = runs.start(dataset.id(), request.format(), describe(request), request.startedBy());
        long started = System.nanoTime();
        ImportRuns.ImportCounts counts = new ImportRuns.ImportCounts();
        List<ImportProblem> problems = new ArrayList<>();
        RecordImporter.Target target = new RecordImporter.Target(dataset.id(), request, modelVersionId);
        boolean aborted = false;
        try {
            Readers.forRequest(request).read(request.annotations(), new RecordSink() {
                @Override
                public void record(SourceRecord record) {
                    counts.read++;
                    importer.importRecord(record, target, counts).ifPresent(problem -> fail(problem));
                    tick();
                }

                @Override
                public void problem(ImportProblem problem) {
                    counts.read++;
                    fail(problem);
                    tick();
                }

                private void fail(ImportProblem problem) {
                    counts.failed++;
                    if (problems.size() < MAX_PROBLEMS_IN_REPORT) {
                        problems.add(problem);
                    }
                    runs.problems(runId, List.of(problem));
                }

                private void tick() {
                    if (counts.read % PROGRESS_EVERY == 0) {
                        progress.advanced(counts.read, counts.failed);
                    }
                }
            });
        } catch (IOException e) {
            aborted = true;
            ImportProblem problem = new ImportProblem(request.annotations().getFileName().toString(), -1, "$",
                    "could not read the file: " + e.getMessage());
            problems.add(problem);
            runs.problems(runId, List.of(problem));
        } finally {
            runs.finish(runId, counts, aborted || counts.failed > 0);
        }
        progress.advanced(counts.read, counts.failed);
        Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
        log.info("Import run {} ({} into {}): {} read, {} created, {} updated, {} unchanged, {} failed in {} ms",
                runId, request.format(), dataset.name(), counts.read, counts.created, counts.updated, counts.unchanged,
                counts.failed, elapsed.toMillis());
        return new ImportReport(runId, request.format(), counts.read, counts.created, counts.updated, counts.unchanged,
                counts.failed, counts.masks, problems, elapsed);
    }

    private static void checkInputs(ImportRequest request) {
        require(request.annotations(), request.format() == ImportFormat.PREDICTIONS);
        if (request.captions() != null) {
            require(request.captions(), false);
        }
        if (request.images() != null) {
            require(request.images(), true);
        }
    }

    private static void require(Path path, boolean directory) {
        if (directory ? !Files.isDirectory(path) : !Files.isRegularFile(path)) {
            throw new UncheckedIOException(new IOException(
                    (directory ? "No directory " : "No file ") + path.toAbsolutePath()));
        }
    }

    private static String describe(ImportRequest request) {
        return request.annotations() + (request.captions() == null ? "" : " + " + request.captions());
    }
}
