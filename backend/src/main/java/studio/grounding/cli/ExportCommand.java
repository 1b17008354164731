package studio.grounding.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.OffsetDateTime;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import studio.grounding.dataset.ItemStatus;
import studio.grounding.dataset.Split;
import studio.grounding.interchange.ExportReport;
import studio.grounding.interchange.ExportRequest;
import studio.grounding.interchange.ExportService;

@Command(name = "export", description = "Export a dataset's latest revisions in GranD_f's own formats.",
        mixinStandardHelpOptions = true,
        subcommands = {ExportCommand.Grandf.class, ExportCommand.CocoGcg.class, ExportCommand.Jsonl.class})
class ExportCommand {

    /** Options every export has. */
    abstract static class Export implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Option(names = "--dataset", required = true, description = "the dataset to export")
        String dataset;

        @Option(names = "--status", split = ",", description = "only items in these statuses (e.g. ACCEPTED)")
        List<String> statuses = List.of();

        @Option(names = "--split", split = ",", description = "only images of these splits (train, val, test)")
        List<String> splits = List.of();

        @Option(names = "--changed-since", description = "only items changed at or after this time (ISO-8601, e.g. 2026-11-01T00:00:00Z)")
        OffsetDateTime changedSince;

        final ExportService exports;

        Export(ExportService exports) {
            this.exports = exports;
        }

        ExportRequest request() {
            Set<ItemStatus> statusSet = EnumSet.noneOf(ItemStatus.class);
            statuses.forEach(s -> statusSet.add(ItemStatus.valueOf(s.strip().toUpperCase(Locale.ROOT))));
            Set<Split> splitSet = EnumSet.noneOf(Split.class);
            splits.forEach(s -> splitSet.add(Split.valueOf(s.strip().toUpperCase(Locale.ROOT))));
            return new ExportRequest(dataset, statusSet, splitSet, changedSince);
        }

        int report(ExportReport report, String where) {
            PrintWriter out = spec.commandLine().getOut();
            out.printf("Exported %,d records with %,d masks (%s) to %s in %.1f s%n", report.records(), report.masks(),
                    report.format(), where, report.elapsed().toMillis() / 1000.0);
            report.warnings().forEach(w -> out.println("  warning: " + w));
            out.flush();
            return ExitCodes.OK;
        }

        /** Writes to a temporary file beside {@code out} and moves it into place only when complete. */
        int toFile(Path out, FileWriter writer) throws IOException {
            Path absolute = out.toAbsolutePath();
            Files.createDirectories(absolute.getParent());
            Path temp = Files.createTempFile(absolute.getParent(), absolute.getFileName().toString(), ".partial");
            try {
                ExportReport report;
                try (OutputStream stream = Files.newOutputStream(temp)) {
                    report = writer.write(stream);
                }
                Files.move(temp, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                return report(report, absolute.toString());
            } finally {
                Files.deleteIfExists(temp);
            }
        }

        interface FileWriter {
            ExportReport write(OutputStream out) throws IOException;
        }
    }

    @Command(name = "grandf", mixinStandardHelpOptions = true,
            description = "GranD_f HA-style JSON, what GLaMM's GCG training loader reads")
    static class Grandf extends Export {

        @Option(names = "--out", required = true, description = "the JSON file to write")
        Path out;

        Grandf(ExportService exports) {
            super(exports);
        }

        @Override
        public Integer call() throws IOException {
            return toFile(out, stream -> exports.exportGrandf(request(), stream));
        }
    }

    @Command(name = "jsonl", mixinStandardHelpOptions = true,
            description = "one JSON object per line, lossless, with status, revision and origin")
    static class Jsonl extends Export {

        @Option(names = "--out", required = true, description = "the JSONL file to write")
        Path out;

        Jsonl(ExportService exports) {
            super(exports);
        }

        @Override
        public Integer call() throws IOException {
            return toFile(out, stream -> exports.exportJsonl(request(), stream));
        }
    }

    @Command(name = "coco-gcg", mixinStandardHelpOptions = true,
            description = "the COCO GCG ground-truth pair per split (<split>_gcg_coco_mask_gt.json and "
                    + "<split>_gcg_coco_caption_gt.json), what GLaMM's eval/gcg/evaluate.py reads")
    static class CocoGcg extends Export {

        @Option(names = "--out-dir", required = true, description = "directory to write the files into")
        Path outDir;

        CocoGcg(ExportService exports) {
            super(exports);
        }

        @Override
        public Integer call() throws IOException {
            return report(exports.exportCocoGcg(request(), outDir), outDir.toAbsolutePath().toString());
        }
    }
}
