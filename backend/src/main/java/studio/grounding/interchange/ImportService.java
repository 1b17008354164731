package studio.grounding.interchange;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
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
    /**
     * Records stored per transaction (one commit, fewer round trips); a batch with a failing record is redone
     * record by record, so each record stays atomic (RecordImporter#importRecords).
     */
    static final int BATCH = 25;
    /** The report keeps this many problems in memory; the import run in the database keeps them all. */
    static final int MAX_PROBLEMS_IN_REPORT = 1000;

    private final DatasetService datasets;
    private final ModelVersionService models;
    private final RecordImporter importer;
    private final ImportRuns runs;

    private final int threads;
    /** Records per transaction ({@code studio.import.batch}, default {@link #BATCH}; 1 = one transaction each). */
    private final int batch;

    ImportService(DatasetService datasets, ModelVersionService models, RecordImporter importer, ImportRuns runs,
                  @Value("${studio.import.threads:0}") int threads,
                  @Value("${studio.import.batch:" + BATCH + "}") int batch) {
        this.datasets = datasets;
        this.models = models;
        this.importer = importer;
        this.runs = runs;
        // records are independent: while one waits for the database, another is parsed and checked
        this.threads = threads > 0 ? threads : Runtime.getRuntime().availableProcessors() + 1;
        this.batch = Math.max(1, batch);
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
        List<ImportProblem> problems = Collections.synchronizedList(new ArrayList<>());
        RecordImporter.Target target = new RecordImporter.Target(dataset.id(), request, modelVersionId);
        Consumer<ImportProblem> list = problem -> {
            if (problems.size() < MAX_PROBLEMS_IN_REPORT) {
                problems.add(problem);
            }
            runs.problems(runId, List.of(problem));
        };
        Consumer<ImportProblem> fail = problem -> {
            counts.failed.incrementAndGet();
            list.accept(problem);
        };
        Runnable tick = () -> {
            long read = counts.read.incrementAndGet();
            if (read % PROGRESS_EVERY == 0) {
                progress.advanced(read, counts.failed.get());
            }
        };
        boolean aborted = false;
        try (RecordWorkers workers = new RecordWorkers(threads)) {
            List<SourceRecord> pending = new ArrayList<>(batch);
            Runnable submitBatch = () -> {
                List<SourceRecord> records = List.copyOf(pending);
                pending.clear();
                workers.submit(() -> {
                    importer.importRecords(records, target, counts, fail);
                    records.forEach(r -> tick.run());
                });
            };
            Readers.forRequest(request).read(request.annotations(), new RecordSink() {
                /** Index of the record of the last problem: a record's problems come one after another. Reader thread only. */
                private long lastProblemRecord = -1;

                @Override
                public void record(SourceRecord record) {
                    pending.add(record);
                    if (pending.size() == batch) {
                        submitBatch.run();
                    }
                }

                @Override
                public void problem(ImportProblem problem) {
                    boolean sameRecord = problem.recordIndex() >= 0 && problem.recordIndex() == lastProblemRecord;
                    lastProblemRecord = problem.recordIndex();
                    if (sameRecord) {
                        list.accept(problem);   // every problem is listed, the record is read (and failed) once
                        return;
                    }
                    fail.accept(problem);
                    tick.run();
                }
            });
            if (!pending.isEmpty()) {
                submitBatch.run();
            }
            workers.finish();
        } catch (IOException e) {
            aborted = true;   // a problem of the file, not of a record: reported, not counted as a failed record
            ImportProblem problem = new ImportProblem(request.annotations().getFileName().toString(), -1, "$",
                    "could not read the file: " + e.getMessage());
            problems.add(problem);
            runs.problems(runId, List.of(problem));
        } finally {
            runs.finish(runId, counts, aborted || counts.failed.get() > 0);
        }
        progress.advanced(counts.read.get(), counts.failed.get());
        Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
        log.info("Import run {} ({} into {}): {} read, {} created, {} updated, {} unchanged, {} failed in {} ms",
                runId, request.format(), dataset.name(), counts.read, counts.created, counts.updated, counts.unchanged,
                counts.failed, elapsed.toMillis());
        List<ImportProblem> sorted = new ArrayList<>(problems);
        sorted.sort(Comparator.comparingLong(ImportProblem::recordIndex));
        return new ImportReport(runId, request.format(), counts.read.get(), counts.created.get(), counts.updated.get(),
                counts.unchanged.get(), counts.failed.get(), counts.masks.get(), sorted, elapsed);
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
