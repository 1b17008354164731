package studio.grounding.api;

import java.time.OffsetDateTime;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;
import studio.grounding.dataset.DatasetService;
import studio.grounding.dataset.Split;
import studio.grounding.interchange.ExportReport;
import studio.grounding.interchange.ExportRequest;
import studio.grounding.interchange.ExportService;

/**
 * The dataset export API: a dataset's latest revisions streamed in GranD_f's own formats, in constant memory,
 * filtered by status, split and "changed since". Needs the CURATOR role (see the security feature).
 */
@RestController
@RequestMapping("/api/v1/datasets/{name}/export")
class ExportController {

    private static final Logger log = LoggerFactory.getLogger(ExportController.class);

    private final ExportService exports;
    private final DatasetService datasets;

    ExportController(ExportService exports, DatasetService datasets) {
        this.exports = exports;
        this.datasets = datasets;
    }

    /** GranD_f HA-style JSON, what GLaMM's GCG training loader reads. */
    @GetMapping("/grandf")
    ResponseEntity<StreamingResponseBody> grandf(@PathVariable String name,
                                                 @RequestParam(required = false) List<String> status,
                                                 @RequestParam(required = false) List<String> split,
                                                 @RequestParam(required = false)
                                                 @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) OffsetDateTime changedSince) {
        ExportRequest request = request(name, status, split, changedSince);
        return attachment(name + "_grandf.json", MediaType.APPLICATION_JSON,
                out -> logWarnings(exports.exportGrandf(request, out)));
    }

    /** One JSON object per line, lossless, with status, revision, origin and model. */
    @GetMapping("/jsonl")
    ResponseEntity<StreamingResponseBody> jsonl(@PathVariable String name,
                                                @RequestParam(required = false) List<String> status,
                                                @RequestParam(required = false) List<String> split,
                                                @RequestParam(required = false)
                                                @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) OffsetDateTime changedSince) {
        ExportRequest request = request(name, status, split, changedSince);
        return attachment(name + ".jsonl", MediaType.parseMediaType("application/x-ndjson"),
                out -> exports.exportJsonl(request, out));
    }

    /** The COCO GCG ground-truth pair per split, as a zip: what GLaMM's {@code eval/gcg/evaluate.py} reads. */
    @GetMapping("/coco-gcg")
    ResponseEntity<StreamingResponseBody> cocoGcg(@PathVariable String name,
                                                  @RequestParam(required = false) List<String> status,
                                                  @RequestParam(required = false) List<String> split,
                                                  @RequestParam(required = false)
                                                  @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) OffsetDateTime changedSince) {
        ExportRequest request = request(name, status, split, changedSince);
        return attachment(name + "_coco_gcg.zip", MediaType.parseMediaType("application/zip"),
                out -> logWarnings(exports.exportCocoGcgZip(request, out)));
    }

    private ExportRequest request(String name, List<String> status, List<String> split, OffsetDateTime changedSince) {
        datasets.require(name);   // 404 before the response starts streaming
        return new ExportRequest(name, DatasetController.statuses(status), splits(split), changedSince);
    }

    private static Set<Split> splits(List<String> values) {
        Set<Split> splits = EnumSet.noneOf(Split.class);
        if (values != null) {
            for (String value : values) {
                for (String part : value.split(",")) {
                    try {
                        splits.add(Split.valueOf(part.strip().toUpperCase(Locale.ROOT)));
                    } catch (IllegalArgumentException e) {
                        throw new ResponseStatusException(HttpStatus.BAD_REQUEST,
                                "unknown split \"" + part.strip() + "\": use train, val or test");
                    }
                }
            }
        }
        return splits;
    }

    private static ResponseEntity<StreamingResponseBody> attachment(String fileName, MediaType type,
                                                                    StreamingResponseBody body) {
        return ResponseEntity.ok()
                .header(HttpHeaders.CONTENT_DISPOSITION,
                        ContentDisposition.attachment().filename(fileName).build().toString())
                .contentType(type)
                .body(body);
    }

    private static void logWarnings(ExportReport report) {
        report.warnings().forEach(w -> log.warn("export ({}): {}", report.format(), w));
    }
}
