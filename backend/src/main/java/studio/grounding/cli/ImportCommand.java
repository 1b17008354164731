package studio.grounding.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import studio.grounding.dataset.Split;
import studio.grounding.interchange.ImportFormat;
import studio.grounding.interchange.ImportReport;
import studio.grounding.interchange.ImportRequest;
import studio.grounding.interchange.ImportService;
import studio.grounding.dataset.DatasetService;
import studio.grounding.model.ModelVersion;
import studio.grounding.model.ModelVersionService;
import studio.grounding.prefill.PrefillService;
import studio.grounding.prefill.QueuedPrefill;

@Command(name = "import", description = "Import GranD_f / GLaMM files into a dataset and print the import report.",
        mixinStandardHelpOptions = true,
        subcommands = {ImportCommand.Grandf.class, ImportCommand.Flickr.class, ImportCommand.RefCocog.class,
                ImportCommand.CocoGcg.class, ImportCommand.Predictions.class})
class ImportCommand {

    /** Options every annotation import has. */
    abstract static class AnnotationImport implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Option(names = "--dataset", required = true, description = "dataset to import into (created if missing)")
        String dataset;

        @Option(names = "--images", required = true, description = "directory with the image files")
        Path images;

        @Option(names = "--split", defaultValue = "train", description = "split of these images: train, val or test")
        String split;

        @Option(names = "--prefill-model", description = "after the import, queue pre-fill of the dataset with this "
                + "model version (registered if new): one job per item without human work, as POST "
                + "/api/v1/datasets/{name}/prefill does")
        String prefillModel;

        @Option(names = "--prefill-priority", defaultValue = "0", description = "priority of those jobs (higher first)")
        int prefillPriority;

        private final ImportService imports;
        private final ImportPrefill prefill;

        AnnotationImport(ImportService imports, ImportPrefill prefill) {
            this.imports = imports;
            this.prefill = prefill;
        }

        abstract ImportFormat format();

        abstract Path annotations();

        Path captions() {
            return null;
        }

        @Override
        public Integer call() {
            ImportRequest request = new ImportRequest(dataset, format(), annotations(), captions(), images, null,
                    Split.valueOf(split.toUpperCase(java.util.Locale.ROOT)), "cli");
            int code = runAndReport(imports, request, spec);
            if (prefillModel != null && !prefillModel.isBlank()) {
                QueuedPrefill q = prefill.queue(dataset, prefillModel.strip(), prefillPriority);
                spec.commandLine().getOut().printf("pre-fill with %s: %d of %d items queued (request #%d)%n",
                        prefillModel.strip(), q.queued(), q.selected(), q.requestId());
                spec.commandLine().getOut().flush();
            }
            return code;
        }
    }

    @Command(name = "grandf", mixinStandardHelpOptions = true,
            description = "GranDf_HA / Open-PSG GCG JSON (GranDf_HA_GCG_train.json, OpenPsgGCG_*.json)")
    static class Grandf extends AnnotationImport {

        @Option(names = "--annotations", required = true, description = "the GranD_f JSON file")
        Path annotations;

        Grandf(ImportService imports, ImportPrefill prefill) {
            super(imports, prefill);
        }

        @Override
        ImportFormat format() {
            return ImportFormat.GRANDF;
        }

        @Override
        Path annotations() {
            return annotations;
        }
    }

    @Command(name = "flickr", mixinStandardHelpOptions = true,
            description = "Flickr30k flickr_mergedGT_GCG_*.json (COCO style)")
    static class Flickr extends AnnotationImport {

        @Option(names = "--annotations", required = true, description = "the mergedGT JSON file")
        Path annotations;

        Flickr(ImportService imports, ImportPrefill prefill) {
            super(imports, prefill);
        }

        @Override
        ImportFormat format() {
            return ImportFormat.FLICKR;
        }

        @Override
        Path annotations() {
            return annotations;
        }
    }

    @Command(name = "refcocog", mixinStandardHelpOptions = true,
            description = "RefCOCOg GCG JSON (RefCOCOg_GCG_*.json; polygons, spans located as the official loader does)")
    static class RefCocog extends AnnotationImport {

        @Option(names = "--annotations", required = true, description = "the RefCOCOg GCG JSON file")
        Path annotations;

        RefCocog(ImportService imports, ImportPrefill prefill) {
            super(imports, prefill);
        }

        @Override
        ImportFormat format() {
            return ImportFormat.REFCOCOG;
        }

        @Override
        Path annotations() {
            return annotations;
        }
    }

    @Command(name = "coco-gcg", mixinStandardHelpOptions = true,
            description = "the val/test COCO GCG pair: *_gcg_coco_mask_gt.json and *_gcg_coco_caption_gt.json")
    static class CocoGcg extends AnnotationImport {

        @Option(names = "--masks", required = true, description = "the *_mask_gt.json file")
        Path masks;

        @Option(names = "--captions", required = true, description = "the *_caption_gt.json file")
        Path captions;

        CocoGcg(ImportService imports, ImportPrefill prefill) {
            super(imports, prefill);
        }

        @Override
        ImportFormat format() {
            return ImportFormat.COCO_GCG;
        }

        @Override
        Path annotations() {
            return masks;
        }

        @Override
        Path captions() {
            return captions;
        }
    }

    @Command(name = "predictions", mixinStandardHelpOptions = true,
            description = "GLaMM predictions (one <image stem>.json per image, from eval/gcg/infer.py) as a model "
                    + "version's pre-fill of the dataset's existing items; human work is never overwritten")
    static class Predictions implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Option(names = "--dataset", required = true, description = "dataset whose items get the pre-fill")
        String dataset;

        @Option(names = "--model", required = true, description = "model version name (registered if new)")
        String model;

        @Option(names = "--dir", required = true, description = "directory of prediction JSON files")
        Path dir;

        private final ImportService imports;

        Predictions(ImportService imports) {
            this.imports = imports;
        }

        @Override
        public Integer call() {
            return runAndReport(imports, new ImportRequest(dataset, ImportFormat.PREDICTIONS, dir, null, null, model,
                    null, "cli"), spec);
        }
    }

    /** Queues a dataset's pre-fill after an import ({@code --prefill-model}). */
    @org.springframework.stereotype.Component
    static class ImportPrefill {

        private final PrefillService prefill;
        private final DatasetService datasets;
        private final ModelVersionService models;

        ImportPrefill(PrefillService prefill, DatasetService datasets, ModelVersionService models) {
            this.prefill = prefill;
            this.datasets = datasets;
            this.models = models;
        }

        QueuedPrefill queue(String dataset, String modelVersion, int priority) {
            ModelVersion model = models.getOrCreate(modelVersion);
            return prefill.queue(datasets.require(dataset).id(), model.id(), null, "cli", priority);
        }
    }

    static int runAndReport(ImportService imports, ImportRequest request, CommandSpec spec) {
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter out = spec.commandLine().getOut();
        ImportReport report = imports.run(request, (read, failed) -> {
            err.printf("\r  %,d records read, %,d failed", read, failed);
            err.flush();
        });
        err.println();
        ImportReportPrinter.print(report, out);
        out.flush();
        return report.succeeded() ? ExitCodes.OK : ExitCodes.FAILED;
    }
}
