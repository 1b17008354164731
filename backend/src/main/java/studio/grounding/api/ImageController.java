package studio.grounding.api;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Pattern;
import org.springframework.core.io.FileSystemResource;
import org.springframework.core.io.Resource;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.server.ResponseStatusException;
import studio.grounding.dataset.ImageStore;

/**
 * Image bytes from the content-addressed store, by SHA-256 only: no path is ever taken from the request, so
 * nothing outside the store can be read. The content never changes for a hash, hence a strong ETag (the hash)
 * and a year of (private) caching.
 */
@RestController
class ImageController {

    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

    private final ImageStore store;

    ImageController(ImageStore store) {
        this.store = store;
    }

    /** The image of that SHA-256 (64 lower-case hex digits): 400 for anything else, 404 if not stored. */
    @GetMapping("/media/images/{contentHash}")
    ResponseEntity<Resource> image(@PathVariable String contentHash, WebRequest request) throws IOException {
        if (!SHA256_HEX.matcher(contentHash).matches()) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST,
                    "An image is named by its SHA-256: 64 lower-case hex digits");
        }
        Path file = store.find(contentHash)
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "No image " + contentHash));
        String etag = "\"" + contentHash + "\"";
        CacheControl cache = CacheControl.maxAge(Duration.ofDays(365)).cachePrivate().immutable();
        if (request.checkNotModified(etag)) {
            return ResponseEntity.status(HttpStatus.NOT_MODIFIED).eTag(etag).cacheControl(cache).build();
        }
        return ResponseEntity.ok().eTag(etag).cacheControl(cache).contentType(ImageMediaType.of(file))
                .body(new FileSystemResource(file));
    }
}
