package studio.grounding.worker.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * SAM image embeddings by image hash, least recently used first out, bounded by the bytes of the embeddings
 * (float32 {@code C x 64 x 64}: 4 MiB for SAM ViT-H's 256 channels). Each entry keeps its embedding on the device in
 * its own NDManager, closed when the entry is evicted. Not thread-safe (its {@link InteractiveSegmenter} locks).
 */
final class ImageEmbeddingCache implements AutoCloseable {

    /** An embedding and the sizes needed to map prompts into the 1024 frame and masks back to the image. */
    record Entry(NDManager manager, NDArray embedding, long bytes, int height, int width, int resizedHeight,
                 int resizedWidth) {}

    private final long maxBytes;
    private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>(16, 0.75f, true);
    private long bytes;

    ImageEmbeddingCache(long maxBytes) {
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("image embedding cache size must be positive, got " + maxBytes);
        }
        this.maxBytes = maxBytes;
    }

    Entry get(String hash) {
        return entries.get(hash);
    }

    /** Adds an entry (replacing one with the same hash) and evicts the least recently used beyond the bound. */
    void put(String hash, Entry e) {
        Entry old = entries.put(hash, e);
        bytes += e.bytes();
        if (old != null) {
            bytes -= old.bytes();
            old.manager().close();
        }
        Iterator<Map.Entry<String, Entry>> it = entries.entrySet().iterator();
        while (bytes > maxBytes && entries.size() > 1 && it.hasNext()) {
            Map.Entry<String, Entry> eldest = it.next();
            if (eldest.getValue() == e) {
                continue;
            }
            it.remove();
            bytes -= eldest.getValue().bytes();
            eldest.getValue().manager().close();
        }
    }

    int size() {
        return entries.size();
    }

    long bytes() {
        return bytes;
    }

    @Override
    public void close() {
        entries.values().forEach(e -> e.manager().close());
        entries.clear();
        bytes = 0;
    }
}
