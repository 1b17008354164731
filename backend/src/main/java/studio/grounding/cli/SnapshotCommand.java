package studio.grounding.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import studio.grounding.dataset.Split;
import studio.grounding.interchange.ExportReport;
import studio.grounding.snapshot.SnapshotComparison;
import studio.grounding.snapshot.SnapshotInfo;
import studio.grounding.snapshot.SnapshotService;

@Command(name = "snapshot", description = "Freeze, list, export and compare a dataset's snapshots of accepted items.",
        mixinStandardHelpOptions = true,
        subcommands = {SnapshotCommand.Create.class, SnapshotCommand.ListSnapshots.class, SnapshotCommand.Export.class,
                SnapshotCommand.Compare.class})
class SnapshotCommand {

    static String describe(SnapshotInfo s) {
        return String.format(Locale.ROOT, "#%d  %s  %d items (train %d, val %d, test %d), %d phrases, %d masks  %s by %s%s",
                s.number(), s.contentHash().substring(0, 12), s.items(), s.itemsPerSplit().get(Split.TRAIN),
                s.itemsPerSplit().get(Split.VAL), s.itemsPerSplit().get(Split.TEST), s.phrases(), s.masks(),
                s.createdAt(), s.createdBy(), s.note() == null ? "" : "  \"" + s.note() + "\"");
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Freeze the dataset's ACCEPTED items (their latest revision) as its next snapshot")
    static class Create implements Callable<Integer> {

        @Spec
        CommandSpec spec;
        @Option(names = "--dataset", required = true, description = "the dataset")
        String dataset;
        @Option(names = "--note", description = "free text kept with the snapshot")
        String note;
        @Option(names = "--by", defaultValue = "cli", description = "who creates it (default: ${DEFAULT-VALUE})")
        String by;

        private final SnapshotService snapshots;

        Create(SnapshotService snapshots) {
            this.snapshots = snapshots;
        }

        @Override
        public Integer call() {
            SnapshotInfo created = snapshots.create(dataset, by, note);
            PrintWriter out = spec.commandLine().getOut();
            out.println("Created snapshot " + describe(created));
            out.println("content hash " + created.contentHash());
            out.flush();
            return ExitCodes.OK;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "The dataset's snapshots, newest first")
    static class ListSnapshots implements Callable<Integer> {

        @Spec
        CommandSpec spec;
        @Option(names = "--dataset", required = true, description = "the dataset")
        String dataset;

        private final SnapshotService snapshots;

        ListSnapshots(SnapshotService snapshots) {
            this.snapshots = snapshots;
        }

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            var all = snapshots.list(dataset);
            if (all.isEmpty()) {
                out.println("No snapshots of " + dataset);
            }
            all.forEach(s -> out.println(describe(s)));
            out.flush();
            return ExitCodes.OK;
        }
    }

    @Command(name = "export", mixinStandardHelpOptions = true,
            description = "Export a snapshot: grandf (GranD_f HA JSON, GLaMM's training format) to --out, or coco-gcg "
                    + "(the validation/test pair per split) into --out-dir")
    static class Export implements Callable<Integer> {

        @Spec
        CommandSpec spec;
        @Option(names = "--dataset", required = true, description = "the dataset")
        String dataset;
        @Option(names = "--number", required = true, description = "the snapshot number")
        int number;
        @Option(names = "--format", defaultValue = "grandf", description = "grandf or coco-gcg (default: ${DEFAULT-VALUE})")
        String format;
        @Option(names = "--out", description = "the JSON file to write (grandf)")
        Path out;
        @Option(names = "--out-dir", description = "directory to write the files into (coco-gcg)")
        Path outDir;

        private final SnapshotService snapshots;

        Export(SnapshotService snapshots) {
            this.snapshots = snapshots;
        }

        @Override
        public Integer call() throws IOException {
            SnapshotInfo snapshot = snapshots.get(dataset, number);
            ExportReport report;
            String where;
            switch (format.strip().toLowerCase(Locale.ROOT)) {
                case "grandf" -> {
                    if (out == null) {
                        throw new IllegalArgumentException("--out: give the JSON file to write");
                    }
                    Path absolute = out.toAbsolutePath();
                    Files.createDirectories(absolute.getParent());
                    Path temp = Files.createTempFile(absolute.getParent(), absolute.getFileName().toString(), ".partial");
                    try {
                        try (OutputStream stream = Files.newOutputStream(temp)) {
                            report = snapshots.exportGrandf(snapshot.id(), Set.of(), stream);
                        }
                        Files.move(temp, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                    } finally {
                        Files.deleteIfExists(temp);
                    }
                    where = absolute.toString();
                }
                case "coco-gcg" -> {
                    if (outDir == null) {
                        throw new IllegalArgumentException("--out-dir: give the directory to write into");
                    }
                    report = snapshots.exportCocoGcg(snapshot.id(), Set.of(), outDir);
                    where = outDir.toAbsolutePath().toString();
                }
                default -> throw new IllegalArgumentException("--format: \"" + format + "\" is not grandf or coco-gcg");
            }
            PrintWriter w = spec.commandLine().getOut();
            w.printf("Exported snapshot %d of %s: %,d records with %,d masks (%s) to %s%n", number, dataset,
                    report.records(), report.masks(), report.format(), where);
            report.warnings().forEach(x -> w.println("  warning: " + x));
            w.flush();
            return ExitCodes.OK;
        }
    }

    @Command(name = "compare", mixinStandardHelpOptions = true,
            description = "Items added, removed and changed (other revision) from snapshot --a to snapshot --b")
    static class Compare implements Callable<Integer> {

        @Spec
        CommandSpec spec;
        @Option(names = "--dataset", required = true, description = "the dataset")
        String dataset;
        @Option(names = "--a", required = true, description = "the earlier snapshot number")
        int a;
        @Option(names = "--b", required = true, description = "the later snapshot number")
        int b;

        private final SnapshotService snapshots;

        Compare(SnapshotService snapshots) {
            this.snapshots = snapshots;
        }

        @Override
        public Integer call() {
            SnapshotComparison diff = snapshots.compare(dataset, a, b);
            PrintWriter out = spec.commandLine().getOut();
            out.printf("Snapshot %d -> %d of %s: %d added, %d removed, %d changed, %d unchanged%n", a, b, dataset,
                    diff.added().size(), diff.removed().size(), diff.changed().size(), diff.unchanged());
            diff.added().forEach(i -> out.println("  + " + i.fileName() + " (item " + i.itemId() + ", revision " + i.revisionB() + ")"));
            diff.removed().forEach(i -> out.println("  - " + i.fileName() + " (item " + i.itemId() + ", revision " + i.revisionA() + ")"));
            diff.changed().forEach(i -> out.println("  ~ " + i.fileName() + " (item " + i.itemId() + ", revision "
                    + i.revisionA() + " -> " + i.revisionB() + ")"));
            out.flush();
            return ExitCodes.OK;
        }
    }
}
