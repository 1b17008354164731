package studio.grounding.interchange;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.springframework.stereotype.Service;
import org.springframework.util.StreamUtils;
import studio.grounding.annotation.Revision;
import studio.grounding.annotation.RevisionService;
import studio.grounding.dataset.DatasetService;
import studio.grounding.dataset.DatasetSummary;
import studio.grounding.dataset.ItemInfo;
import studio.grounding.dataset.Split;
import studio.grounding.model.ModelVersion;
import studio.grounding.model.ModelVersionService;

/**
 * Streams a dataset's latest revisions out in GranD_f's own formats, a page of items at a time, in constant
 * memory whatever the dataset size.
 */
@Service
public class ExportService {

    private static final int PAGE = 500;

    private final DatasetService datasets;
    private final RevisionService revisions;
    private final ModelVersionService models;

    ExportService(DatasetService datasets, RevisionService revisions, ModelVersionService models) {
        this.datasets = datasets;
        this.revisions = revisions;
        this.models = models;
    }

    /** GranD_f HA-style JSON, what GLaMM's GCG training loader reads. */
    public ExportReport exportGrandf(ExportRequest request, OutputStream out) {
        long started = System.nanoTime();
        List<String> warnings = new ArrayList<>();
        long[] masks = {0};
        GrandfWriter writer = new GrandfWriter(out);
        forEachRecord(request, record -> {
            writer.write(record).forEach(w -> warnings.add(describe(w)));
            masks[0] += record.caption().allMasks().size();
        });
        writer.close();
        return new ExportReport(ExportFormat.GRANDF, writer.recordsWritten(), masks[0], warnings, since(started));
    }

    /** One JSON object per line, lossless, with each record's status, revision, origin and model. */
    public ExportReport exportJsonl(ExportRequest request, OutputStream out) throws IOException {
        long started = System.nanoTime();
        long[] counts = {0, 0};
        JsonlWriter writer = new JsonlWriter(out);
        forEachRecord(request, record -> {
            writer.write(record);
            counts[0]++;
            counts[1] += record.caption().allMasks().size();
        });
        writer.close();
        return new ExportReport(ExportFormat.JSONL, counts[0], counts[1], List.of(), since(started));
    }

    /**
     * The COCO GCG ground-truth pair, one per split that has items: {@code <split>_gcg_coco_mask_gt.json} and
     * {@code <split>_gcg_coco_caption_gt.json}. Files are written under temporary names and moved into place
     * when complete.
     */
    public ExportReport exportCocoGcg(ExportRequest request, Path outDir) {
        long started = System.nanoTime();
        long[] counts = {0, 0};
        List<String> warnings = new ArrayList<>();
        try {
            Files.createDirectories(outDir);
            for (Split split : splitsOf(request)) {
                String prefix = split.dbValue() + "_gcg_coco_";
                Path maskFile = outDir.resolve(prefix + "mask_gt.json");
                Path captionFile = outDir.resolve(prefix + "caption_gt.json");
                Path maskTemp = outDir.resolve(prefix + "mask_gt.json.partial");
                Path captionTemp = outDir.resolve(prefix + "caption_gt.json.partial");
                try (OutputStream masks = Files.newOutputStream(maskTemp);
                     OutputStream captions = Files.newOutputStream(captionTemp)) {
                    writeCocoGcg(onlySplit(request, split), masks, captions, counts, warnings);
                }
                Files.move(maskTemp, maskFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                Files.move(captionTemp, captionFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write the COCO GCG files to " + outDir, e);
        }
        return new ExportReport(ExportFormat.COCO_GCG, counts[0], counts[1], warnings, since(started));
    }

    /** The COCO GCG pairs as one zip stream (for the API), same files as {@link #exportCocoGcg(ExportRequest, Path)}. */
    public ExportReport exportCocoGcgZip(ExportRequest request, OutputStream out) throws IOException {
        long started = System.nanoTime();
        long[] counts = {0, 0};
        List<String> warnings = new ArrayList<>();
        ZipOutputStream zip = new ZipOutputStream(out);
        for (Split split : splitsOf(request)) {
            // one pass over the items: the mask file streams into the zip while the caption file goes to a
            // temporary file, which follows as the next entry (a zip cannot interleave two entries)
            String prefix = split.dbValue() + "_gcg_coco_";
            Path captions = Files.createTempFile("coco-gcg-captions-", ".json");
            try {
                zip.putNextEntry(new ZipEntry(prefix + "mask_gt.json"));
                try (OutputStream captionOut = Files.newOutputStream(captions)) {
                    writeCocoGcg(onlySplit(request, split), StreamUtils.nonClosing(zip), captionOut, counts, warnings);
                }
                zip.closeEntry();
                zip.putNextEntry(new ZipEntry(prefix + "caption_gt.json"));
                Files.copy(captions, zip);
                zip.closeEntry();
            } finally {
                Files.deleteIfExists(captions);
            }
        }
        zip.finish();
        return new ExportReport(ExportFormat.COCO_GCG, counts[0], counts[1], warnings, since(started));
    }

    private void writeCocoGcg(ExportRequest request, OutputStream masks, OutputStream captions, long[] counts,
                              List<String> warnings) throws IOException {
        CocoGcgWriter writer = new CocoGcgWriter(masks, captions);
        forEachRecord(request, record -> {
            writer.write(record).forEach(w -> warnings.add(describe(w)));
            counts[0]++;
            counts[1] += record.caption().allMasks().size();
        });
        writer.close();
    }

    /** Every record of the export in item order: each item's latest revision, items without one left out. */
    private void forEachRecord(ExportRequest request, Consumer<SourceRecord> consumer) {
        DatasetSummary dataset = datasets.require(request.dataset());
        Map<Long, String> modelNames = new HashMap<>();
        long[] index = {0};
        datasets.forEachItemPage(dataset.id(), request.statuses(), request.splits(), request.changedSince(), PAGE, page -> {
            List<Long> revisionIds = page.stream().map(ItemInfo::latestRevisionId).filter(Objects::nonNull).toList();
            Map<Long, Revision> byId = new HashMap<>();
            revisions.getAll(revisionIds).forEach(r -> byId.put(r.id(), r));
            for (ItemInfo item : page) {
                Revision revision = item.latestRevisionId() == null ? null : byId.get(item.latestRevisionId());
                if (revision == null) {
                    continue;
                }
                String model = revision.modelVersionId() == null ? null : modelNames.computeIfAbsent(
                        revision.modelVersionId(), id -> models.get(id).map(ModelVersion::name).orElse(null));
                RecordMetadata metadata = new RecordMetadata(item.status().name().toLowerCase(Locale.ROOT),
                        Long.toString(revision.id()), revision.origin().name().toLowerCase(Locale.ROOT), model,
                        Map.of("item_id", Long.toString(item.id()), "split", item.image().split().dbValue()));
                consumer.accept(new SourceRecord(index[0]++, item.image().fileName(), item.image().stem(),
                        item.image().height(), item.image().width(), revision.caption(), revision.warnings(), metadata));
            }
        });
    }

    private Set<Split> splitsOf(ExportRequest request) {
        Set<Split> wanted = request.splits().isEmpty() ? EnumSet.allOf(Split.class) : EnumSet.copyOf(request.splits());
        DatasetSummary dataset = datasets.require(request.dataset());
        wanted.removeIf(split -> datasets.countItems(dataset.id(), request.statuses(), Set.of(split)) == 0);
        return wanted;
    }

    private static ExportRequest onlySplit(ExportRequest request, Split split) {
        return new ExportRequest(request.dataset(), request.statuses(), Set.of(split), request.changedSince());
    }

    private static String describe(ExportWarning warning) {
        return warning.fileName() + " (record " + warning.recordIndex() + "): " + warning.reason();
    }

    private static Duration since(long startedNanos) {
        return Duration.ofNanos(System.nanoTime() - startedNanos);
    }
}
