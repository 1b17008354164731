package studio.grounding.api;

import java.security.Principal;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;
import studio.grounding.snapshot.SnapshotComparison;
import studio.grounding.snapshot.SnapshotInfo;
import studio.grounding.snapshot.SnapshotService;

/** Dataset snapshots for curators: freeze the accepted items, list, export, compare. */
@RestController
@RequestMapping("/api/v1/datasets/{name}/snapshots")
class SnapshotController {

    private final SnapshotService snapshots;

    SnapshotController(SnapshotService snapshots) {
        this.snapshots = snapshots;
    }

    /** {@code note}: optional free text kept with the snapshot. */
    record CreateRequest(String note) {
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    SnapshotInfo create(Principal caller, @PathVariable String name, @RequestBody(required = false) CreateRequest request) {
        return snapshots.create(name, caller.getName(), request == null ? null : request.note());
    }

    @GetMapping
    List<SnapshotInfo> list(@PathVariable String name) {
        return snapshots.list(name);
    }

    @GetMapping("/{number}")
    SnapshotInfo get(@PathVariable String name, @PathVariable int number) {
        return snapshots.get(name, number);
    }

    /**
     * {@code format=grandf} (default): GranD_f HA JSON, GLaMM's training format; {@code format=coco-gcg}: a zip with
     * the COCO GCG validation/test pair per split.
     */
    @GetMapping("/{number}/export")
    ResponseEntity<StreamingResponseBody> export(@PathVariable String name, @PathVariable int number,
                                                 @RequestParam(defaultValue = "grandf") String format) {
        SnapshotInfo snapshot = snapshots.get(name, number);   // 404 before the response starts streaming
        String base = name + "_snapshot-" + number;
        return switch (format.strip().toLowerCase(Locale.ROOT)) {
            case "grandf" -> attachment(base + "_grandf.json", MediaType.APPLICATION_JSON,
                    out -> snapshots.exportGrandf(snapshot.id(), Set.of(), out));
            case "coco-gcg" -> attachment(base + "_coco_gcg.zip", MediaType.parseMediaType("application/zip"),
                    out -> snapshots.exportCocoGcgZip(snapshot.id(), Set.of(), out));
            default -> throw new IllegalArgumentException("format: \"" + format + "\" is not grandf or coco-gcg");
        };
    }

    @GetMapping("/compare")
    SnapshotComparison compare(@PathVariable String name, @RequestParam int a, @RequestParam int b) {
        return snapshots.compare(name, a, b);
    }

    private static ResponseEntity<StreamingResponseBody> attachment(String fileName, MediaType type,
                                                                    StreamingResponseBody body) {
        return ResponseEntity.ok()
                .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment().filename(fileName).build().toString())
                .contentType(type)
                .body(body);
    }
}
