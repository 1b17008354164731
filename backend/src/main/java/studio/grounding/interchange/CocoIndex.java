package studio.grounding.interchange;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.JsonNode;

/**
 * Groups the annotations of a COCO-style file ({@code {"images": [...], "annotations": [...]}}) by image in bounded
 * memory, for {@link FlickrReader} and {@link CocoGcgReader}.
 *
 * <p>Why two passes over the file with a byte-offset index: the top-level keys may come in any order and the
 * annotations of an image need not be contiguous, so no single streaming pass can emit complete images without
 * holding the file. The masks make up almost all of the bytes, so the first pass keeps only primitives: the byte
 * offset and length of every image and every annotation plus an int id per annotation (about 16 bytes per
 * annotation and a map entry per image id, whatever the mask sizes). The second pass visits the images in file order
 * and re-reads exactly the bytes of one image's subtrees (positional reads at the recorded offsets), so at most one image's annotations are in memory.
 * Compared with spilling annotations to a temporary file this needs no extra disk space and no external sort; the
 * price is random reads in the second pass, which the page cache absorbs for files that fit in it.
 *
 * <p>A syntax error anywhere in the first pass means the file is cut or corrupt: an image's annotations could lie
 * after the error, so no record can be assembled reliably and none is delivered (the problem says so).
 */
final class CocoIndex {

    /** One image with its annotations (in file order), handed to the reader's record builder. */
    record ImageGroup(int imageIndex, JsonNode image, List<Annotation> annotations) {
    }

    /** An annotation subtree and its index in the file's {@code annotations} array. */
    record Annotation(int index, JsonNode node) {
    }

    private final Path file;
    private final String name;
    private long[] imageOffsets = new long[64];
    private int[] imageLengths = new int[64];
    private int imageCount;
    private int[] imageIdNumber = new int[64];
    private long[] annOffsets = new long[256];
    private int[] annLengths = new int[256];
    private int[] annIdNumber = new int[256];
    private int annCount;
    private final Map<String, Integer> idNumbers = new HashMap<>();
    private final List<String> idTexts = new ArrayList<>();
    private boolean sawImages;
    private boolean sawAnnotations;

    private CocoIndex(Path file) {
        this.file = file;
        this.name = Json.displayName(file);
    }

    /**
     * Reads the file once and visits every image with its annotations, in image order.
     * Structural problems (no {@code images}, an annotation of an unknown image, a duplicate image id, syntax errors)
     * go to {@code sink}.
     */
    static void visit(Path file, RecordSink sink, java.util.function.Consumer<ImageGroup> each) throws IOException {
        CocoIndex index = new CocoIndex(file);
        if (index.firstPass(sink)) {
            index.secondPass(sink, each);
        }
    }

    private boolean firstPass(RecordSink sink) throws IOException {
        try (InputStream in = Files.newInputStream(file); JsonParser p = Json.MAPPER.createParser(in)) {
            JsonToken t = p.nextToken();
            if (t != JsonToken.START_OBJECT) {
                sink.problem(new ImportProblem(name, -1, "$", t == null ? "the file is empty"
                        : "expected a COCO object {\"images\": [...], \"annotations\": [...]}, found " + Json.describe(t)));
                return false;
            }
            while ((t = p.nextToken()) == JsonToken.PROPERTY_NAME) {
                String key = p.currentName();
                t = p.nextToken();
                if (key.equals("images") && t == JsonToken.START_ARRAY) {
                    sawImages = true;
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        long offset = p.currentTokenLocation().getByteOffset();
                        Json.Element element = Json.readElement(p);
                        JsonNode image = element.node();
                        // an image with a repeated key is reported when the second pass re-reads it
                        String id = image != null && image.isObject() ? RecordCheck.idText(image.get("id")) : null;
                        addImage(offset, length(p, offset), id == null ? -1 : idNumber(id));
                    }
                } else if (key.equals("annotations") && t == JsonToken.START_ARRAY) {
                    sawAnnotations = true;
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        long offset = p.currentTokenLocation().getByteOffset();
                        // only image_id is needed now: scan, don't build the tree (the masks are most of the bytes)
                        int index = annCount;
                        String imageId = scanImageId(p);
                        if (imageId == null) {
                            sink.problem(new ImportProblem(name, -1, "annotations[" + index + "]",
                                    "image_id missing or not a string/integer, or the annotation is not an object"));
                            addAnnotation(offset, length(p, offset), -1);
                        } else {
                            addAnnotation(offset, length(p, offset), idNumber(imageId));
                        }
                    }
                } else {
                    if (key.equals("images") || key.equals("annotations")) {
                        sink.problem(new ImportProblem(name, -1, key, "expected an array, found " + Json.describe(t)));
                        return false;
                    }
                    p.skipChildren();
                }
            }
            if (t != JsonToken.END_OBJECT || p.nextToken() != null) {
                sink.problem(new ImportProblem(name, -1, "$", "unexpected content after the top-level object"));
                return false;
            }
        } catch (JacksonException e) {
            ImportProblem syntax = ImportProblem.syntax(name, -1, e);
            sink.problem(new ImportProblem(name, -1, "$", syntax.reason()
                    + "; no image is imported because its annotations may lie after this point", syntax.position()));
            return false;
        }
        if (!sawImages) {
            sink.problem(new ImportProblem(name, -1, "images", "missing"));
            return false;
        }
        if (!sawAnnotations) {
            sink.problem(new ImportProblem(name, -1, "annotations", "missing"));
        }
        return true;
    }

    private void secondPass(RecordSink sink, java.util.function.Consumer<ImageGroup> each) throws IOException {
        // image position of each id number; first image with an id wins
        int[] imageOfId = new int[idTexts.size()];
        Arrays.fill(imageOfId, -1);
        boolean[] duplicate = new boolean[imageCount];
        for (int i = 0; i < imageCount; i++) {
            int id = imageIdNumber[i];
            if (id < 0) {
                continue;
            }
            if (imageOfId[id] >= 0) {
                duplicate[i] = true;
            } else {
                imageOfId[id] = i;
            }
        }
        // counting sort of annotations by image, keeping file order inside an image
        int[] start = new int[imageCount + 1];
        for (int a = 0; a < annCount; a++) {
            int id = annIdNumber[a];
            int img = id < 0 ? -1 : imageOfId[id];
            if (img >= 0) {
                start[img + 1]++;
            } else if (id >= 0) {
                sink.problem(new ImportProblem(name, -1, "annotations[" + a + "].image_id",
                        "no image has id " + idTexts.get(id)));
            }
        }
        for (int i = 0; i < imageCount; i++) {
            start[i + 1] += start[i];
        }
        int[] grouped = new int[start[imageCount]];
        int[] fill = Arrays.copyOf(start, imageCount);
        for (int a = 0; a < annCount; a++) {
            int id = annIdNumber[a];
            int img = id < 0 ? -1 : imageOfId[id];
            if (img >= 0) {
                grouped[fill[img]++] = a;
            }
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            for (int i = 0; i < imageCount; i++) {
                if (duplicate[i]) {
                    sink.problem(new ImportProblem(name, i, "id", "duplicate image id "
                            + idTexts.get(imageIdNumber[i]) + "; its annotations go to the first image with that id"));
                    continue;
                }
                JsonNode image;
                List<Annotation> anns = new ArrayList<>(start[i + 1] - start[i]);
                String reading = "$";
                try {
                    image = Json.readValueAt(ch, imageOffsets[i], imageLengths[i]);
                    for (int k = start[i]; k < start[i + 1]; k++) {
                        int a = grouped[k];
                        reading = "annotations[" + a + "]";
                        anns.add(new Annotation(a, Json.readValueAt(ch, annOffsets[a], annLengths[a])));
                    }
                } catch (tools.jackson.databind.DatabindException e) {
                    sink.problem(new ImportProblem(name, i, reading, Json.REPEATED_KEY));
                    continue;
                } catch (JacksonException e) {
                    sink.problem(ImportProblem.syntax(name, i, e));
                    continue;
                }
                each.accept(new ImageGroup(i, image, anns));
            }
        }
    }

    private int idNumber(String id) {
        return idNumbers.computeIfAbsent(id, k -> {
            idTexts.add(k);
            return idTexts.size() - 1;
        });
    }

    /**
     * Reads past the value at the current token and returns the first top-level {@code image_id} of an object
     * (string or integer), {@code null} otherwise. Other values are skipped without being decoded. A repeated key is
     * caught when the second pass reads the annotation as a tree.
     */
    private static String scanImageId(JsonParser p) {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            p.skipChildren();
            return null;
        }
        String imageId = null;
        while (p.nextToken() == JsonToken.PROPERTY_NAME) {
            boolean wanted = imageId == null && p.currentName().equals("image_id");
            JsonToken v = p.nextToken();
            if (wanted && v == JsonToken.VALUE_STRING) {
                imageId = p.getString();
            } else if (wanted && v == JsonToken.VALUE_NUMBER_INT) {
                imageId = p.getBigIntegerValue().toString();
            } else {
                p.skipChildren();
            }
        }
        return imageId;
    }

    /** Bytes from {@code start} to the end of the value just read. */
    private static int length(JsonParser p, long start) {
        long length = p.currentLocation().getByteOffset() - start;
        if (length <= 0 || length > Integer.MAX_VALUE - 16) {
            throw new IllegalStateException("cannot index a JSON value of " + length + " bytes");
        }
        return (int) length;
    }

    private void addImage(long offset, int length, int idNumber) {
        if (imageCount == imageOffsets.length) {
            imageOffsets = Arrays.copyOf(imageOffsets, imageCount * 2);
            imageLengths = Arrays.copyOf(imageLengths, imageCount * 2);
            imageIdNumber = Arrays.copyOf(imageIdNumber, imageCount * 2);
        }
        imageOffsets[imageCount] = offset;
        imageLengths[imageCount] = length;
        imageIdNumber[imageCount++] = idNumber;
    }

    private void addAnnotation(long offset, int length, int idNumber) {
        if (annCount == annOffsets.length) {
            annOffsets = Arrays.copyOf(annOffsets, annCount * 2);
            annLengths = Arrays.copyOf(annLengths, annCount * 2);
            annIdNumber = Arrays.copyOf(annIdNumber, annCount * 2);
        }
        annOffsets[annCount] = offset;
        annLengths[annCount] = length;
        annIdNumber[annCount++] = idNumber;
    }
}
