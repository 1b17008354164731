package studio.grounding.interchange;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import studio.grounding.annotation.GroundedCaption;
import studio.grounding.annotation.InvalidRevisionException;
import studio.grounding.annotation.NewRevision;
import studio.grounding.annotation.Origin;
import studio.grounding.annotation.Revision;
import studio.grounding.annotation.RevisionService;
import studio.grounding.annotation.RevisionSummary;
import studio.grounding.dataset.DatasetService;
import studio.grounding.dataset.ImageInfo;
import studio.grounding.dataset.ImageStore;
import studio.grounding.dataset.InvalidImageException;
import studio.grounding.dataset.ItemInfo;
import studio.grounding.dataset.ItemStatus;
import studio.grounding.dataset.StoredImage;

/**
 * Stores one imported record atomically: its image, its item and a revision, or nothing. A record whose content
 * the item already has is left alone (re-running an import changes nothing), and a human's revision is never
 * overwritten by an import or a model.
 */
@Component
class RecordImporter {

    private final DatasetService datasets;
    private final RevisionService revisions;
    private final ImageStore imageStore;
    private final TransactionTemplate transaction;
    private final JdbcClient jdbc;

    RecordImporter(DatasetService datasets, RevisionService revisions, ImageStore imageStore,
                   TransactionTemplate transaction, JdbcClient jdbc) {
        this.datasets = datasets;
        this.revisions = revisions;
        this.imageStore = imageStore;
        this.transaction = transaction;
        this.jdbc = jdbc;
    }

    /**
     * One record's transaction. Its commit does not wait for the WAL flush (asynchronous commit): a crash of the
     * database server can lose the last fraction of a second of imported records, never corrupt anything, and
     * re-running the import (idempotent) stores them. Human edits are always committed synchronously.
     */
    private <T> T inRecordTransaction(Supplier<T> work) {
        return transaction.execute(tx -> {
            jdbc.sql("set local synchronous_commit to off").update();
            return work.get();
        });
    }

    /** Where and how records are imported. */
    record Target(long datasetId, ImportRequest request, Long modelVersionId) {

        boolean predictions() {
            return request.format() == ImportFormat.PREDICTIONS;
        }

        String file() {
            return request.annotations().getFileName().toString();
        }
    }

    /** Imports one record; returns the problem that kept it out, if any. */
    Optional<ImportProblem> importRecord(SourceRecord record, Target target, ImportRuns.ImportCounts counts) {
        String file = target.predictions() ? record.fileStem() + ".json" : target.file();
        try {
            return target.predictions() ? prefill(record, target, file, counts) : importAnnotation(record, target, file, counts);
        } catch (InvalidRevisionException e) {
            return Optional.of(invalidRevision(file, record, e));
        } catch (InvalidImageException | IllegalArgumentException e) {
            return Optional.of(problem(file, record, "file_name", e.getMessage()));
        }
    }

    private Optional<ImportProblem> importAnnotation(SourceRecord record, Target target, String file,
                                                     ImportRuns.ImportCounts counts) {
        Prepared prepared = prepare(record, target, file);
        if (prepared.problem() != null) {
            return Optional.of(prepared.problem());
        }
        return inRecordTransaction(() -> storeAnnotation(prepared, target, counts));
    }

    /** A record whose image is in the store and matches it, or the problem that keeps it out. */
    private record Prepared(SourceRecord record, String file, StoredImage image, ImportProblem problem) {
    }

    /** The part of a record's import done outside any transaction: its image (content-addressed, idempotent). */
    private Prepared prepare(SourceRecord record, Target target, String file) {
        Path imageFile = imageFile(target.request().images(), record.fileName());
        if (imageFile == null) {
            return new Prepared(record, file, null, problem(file, record, "file_name",
                    "image file " + record.fileName() + " not found in " + target.request().images()));
        }
        StoredImage stored;
        try {
            stored = imageStore.store(imageFile);
        } catch (InvalidImageException | IllegalArgumentException e) {
            return new Prepared(record, file, null, problem(file, record, "file_name", e.getMessage()));
        }
        if (record.height() != null && record.width() != null
                && (record.height() != stored.height() || record.width() != stored.width())) {
            return new Prepared(record, file, null, problem(file, record, "height/width", "the record says "
                    + record.height() + "×" + record.width() + " (h×w) but the image file is " + stored.height() + "×"
                    + stored.width()));
        }
        return new Prepared(record, file, stored, null);
    }

    /** The database part of a record's import, inside the caller's transaction. */
    private Optional<ImportProblem> storeAnnotation(Prepared prepared, Target target, ImportRuns.ImportCounts counts) {
        SourceRecord record = prepared.record();
        ImageInfo image = datasets.addImage(target.datasetId(), record.fileName(), prepared.image(),
                target.request().format().name().toLowerCase(Locale.ROOT), target.request().split());
        ItemInfo item = datasets.ensureItem(image);
        return appendUnlessUnchanged(record, target, prepared.file(), item, Origin.IMPORT, null, counts);
    }

    /**
     * Imports several annotation records in one transaction (one commit and far fewer round trips than one
     * transaction each), with the same outcome as {@link #importRecord} for each: if any record fails inside the
     * transaction (an invalid revision, a conflict), the whole transaction is rolled back and every record of the
     * batch is imported again on its own, so a bad record is reported and the others are stored, each atomically.
     * Problems are handed to {@code problems}; counts are added only for what was committed.
     */
    void importRecords(List<SourceRecord> records, Target target, ImportRuns.ImportCounts counts,
                       Consumer<ImportProblem> problems) {
        if (target.predictions() || records.size() == 1) {
            for (SourceRecord record : records) {
                importRecord(record, target, counts).ifPresent(problems);
            }
            return;
        }
        List<Prepared> ready = new ArrayList<>(records.size());
        for (SourceRecord record : records) {
            Prepared prepared = prepare(record, target, target.file());
            if (prepared.problem() != null) {
                problems.accept(prepared.problem());
            } else {
                ready.add(prepared);
            }
        }
        if (ready.isEmpty()) {
            return;
        }
        ImportRuns.ImportCounts batch = new ImportRuns.ImportCounts();
        List<ImportProblem> found = new ArrayList<>();
        try {
            inRecordTransaction(() -> {
                for (Prepared prepared : ready) {
                    storeAnnotation(prepared, target, batch).ifPresent(found::add);
                }
                return null;
            });
        } catch (RuntimeException batchFailed) {
            // nothing of the batch was committed: each record again in its own transaction
            for (Prepared prepared : ready) {
                importPrepared(prepared, target, counts).ifPresent(problems);
            }
            return;
        }
        counts.created.addAndGet(batch.created.get());
        counts.updated.addAndGet(batch.updated.get());
        counts.unchanged.addAndGet(batch.unchanged.get());
        counts.masks.addAndGet(batch.masks.get());
        found.forEach(problems);
    }

    private Optional<ImportProblem> importPrepared(Prepared prepared, Target target, ImportRuns.ImportCounts counts) {
        try {
            return inRecordTransaction(() -> storeAnnotation(prepared, target, counts));
        } catch (InvalidRevisionException e) {
            return Optional.of(invalidRevision(prepared.file(), prepared.record(), e));
        } catch (InvalidImageException | IllegalArgumentException e) {
            return Optional.of(problem(prepared.file(), prepared.record(), "file_name", e.getMessage()));
        }
    }

    private static ImportProblem invalidRevision(String file, SourceRecord record, InvalidRevisionException e) {
        return problem(file, record, e.problems().getFirst().field(),
                e.problems().stream().map(p -> p.field() + ": " + p.reason()).reduce((a, b) -> a + "; " + b).orElseThrow());
    }

    private Optional<ImportProblem> prefill(SourceRecord record, Target target, String file,
                                            ImportRuns.ImportCounts counts) {
        List<ImageInfo> images = datasets.findImagesByStem(target.datasetId(), record.fileStem());
        if (images.isEmpty()) {
            return Optional.of(problem(file, record, "image_id",
                    "no image " + record.fileStem() + ".* in the dataset: predictions pre-fill existing items"));
        }
        if (images.size() > 1) {
            return Optional.of(problem(file, record, "image_id", "several images of the dataset are named "
                    + record.fileStem() + ".*: " + images.stream().map(ImageInfo::fileName).toList()));
        }
        ImageInfo image = images.getFirst();
        return inRecordTransaction(() -> {
            ItemInfo item = datasets.ensureItem(image);
            Optional<ImportProblem> outcome = appendUnlessUnchanged(record, target, file, item, Origin.MODEL,
                    target.modelVersionId(), counts);
            if (outcome.isEmpty() && datasets.lockItem(item.id()).status() == ItemStatus.NEW) {
                datasets.moveStatus(item.id(), ItemStatus.PREFILLED);
            }
            return outcome;
        });
    }

    private Optional<ImportProblem> appendUnlessUnchanged(SourceRecord record, Target target, String file, ItemInfo item,
                                                          Origin origin, Long modelVersionId,
                                                          ImportRuns.ImportCounts counts) {
        // the item's row stays locked to the end of the record's transaction: what is read here (latest revision,
        // status) is what the revision is appended to, whatever an annotator or reviewer does meanwhile
        item = datasets.lockItem(item.id());
        GroundedCaption caption = record.caption();
        boolean newItem = item.latestRevisionId() == null;
        Optional<RevisionSummary> latest = newItem ? Optional.empty() : revisions.latestSummary(item.id());
        Optional<RevisionSummary> sameOrigin = origin == Origin.MODEL
                ? revisions.latestSummary(item.id(), Origin.MODEL).filter(r -> modelVersionId.equals(r.modelVersionId()))
                : latest.filter(r -> r.origin() == Origin.IMPORT);
        if (sameOrigin.isPresent() && sameOrigin.get().contentHash().equals(revisions.contentHash(caption))) {
            counts.unchanged.incrementAndGet();
            return Optional.empty();
        }
        if (latest.isPresent() && latest.get().origin() == Origin.HUMAN) {
            return Optional.of(problem(file, record, "$", "item #" + item.id() + " has human edits (revision #"
                    + latest.get().id() + "); the " + (origin == Origin.MODEL ? "pre-fill" : "import")
                    + " was not applied, so no human work is overwritten"));
        }
        if (origin == Origin.MODEL && item.status() != ItemStatus.NEW && item.status() != ItemStatus.PREFILLED) {
            return Optional.of(problem(file, record, "$", "item #" + item.id() + " is " + item.status()
                    + " (an annotator has started on it); the pre-fill was not applied, so no human work is overwritten"));
        }
        Revision stored = revisions.append(new NewRevision(item.id(), latest.map(RevisionSummary::id).orElse(null), caption,
                origin, target.request().startedBy(), modelVersionId, file + "#" + record.index(),
                record.warnings(), null, item.image().height(), item.image().width()),
                origin == Origin.IMPORT ? record.otherReferences() : null, // a prediction carries the GT's forward
                record.listing());
        if (newItem) {
            counts.created.incrementAndGet();
        } else {
            counts.updated.incrementAndGet();
        }
        counts.masks.addAndGet(stored.caption().allMasks().size());
        return Optional.empty();
    }

    /** The image file of a record inside the images directory; null if absent or if the name escapes the directory. */
    static Path imageFile(Path imagesDir, String fileName) {
        Path dir = imagesDir.toAbsolutePath().normalize();
        Path file = dir.resolve(fileName).normalize();
        if (!file.startsWith(dir) || !Files.isRegularFile(file)) {
            return null;
        }
        return file;
    }

    private static ImportProblem problem(String file, SourceRecord record, String field, String reason) {
        return new ImportProblem(file, record.index(), field, reason);
    }
}
