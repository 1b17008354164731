package studio.grounding.cli;

import java.io.PrintWriter;
import studio.grounding.interchange.ImportProblem;
import studio.grounding.interchange.ImportReport;

/** Prints an import report: the counts, then one line per problem (file, record, field, reason). */
final class ImportReportPrinter {

    private ImportReportPrinter() {
    }

    static void print(ImportReport report, PrintWriter out) {
        out.printf("Import run #%d (%s): %s%n", report.runId(), report.format(),
                report.succeeded() ? "OK" : "FINISHED WITH PROBLEMS");
        out.printf("  records read      %,10d%n", report.read());
        out.printf("  items created     %,10d%n", report.created());
        out.printf("  items updated     %,10d%n", report.updated());
        out.printf("  unchanged         %,10d%n", report.unchanged());
        out.printf("  failed            %,10d%n", report.failed());
        out.printf("  masks stored      %,10d%n", report.masks());
        out.printf("  time              %10.1f s (%,.0f records/s)%n", report.elapsed().toMillis() / 1000.0,
                report.recordsPerSecond());
        if (!report.problems().isEmpty()) {
            out.println("Problems (file, record, field: reason):");
            for (ImportProblem p : report.problems()) {
                out.println("  " + p);
            }
            if (report.problems().size() < report.failed()) {
                out.printf("  ... %,d more are stored with import run #%d%n",
                        report.failed() - report.problems().size(), report.runId());
            }
        }
    }
}
