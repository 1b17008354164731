package studio.grounding.interchange;

import java.util.ArrayList;
import java.util.List;

import studio.grounding.annotation.MaskRle;
import tools.jackson.databind.JsonNode;

/**
 * Field-by-field validation of one record subtree: each accessor returns the value or {@code null} and, when the
 * field is missing or has the wrong type, records an {@link ImportProblem} with the field path.
 */
final class RecordCheck {

    private final String file;
    private final long index;
    private final List<ImportProblem> problems = new ArrayList<>();

    RecordCheck(String file, long index) {
        this.file = file;
        this.index = index;
    }

    void fail(String field, String reason) {
        problems.add(new ImportProblem(file, index, field, reason));
    }

    boolean ok() {
        return problems.isEmpty();
    }

    List<ImportProblem> problems() {
        return problems;
    }

    /** Reports every problem to the sink; returns whether there were none. */
    boolean report(RecordSink sink) {
        problems.forEach(sink::problem);
        return problems.isEmpty();
    }

    static String join(String prefix, String name) {
        return prefix == null || prefix.isEmpty() ? name : prefix + "." + name;
    }

    boolean requireObject(JsonNode node, String field) {
        if (node == null || !node.isObject()) {
            fail(field, "expected an object, found " + Json.describe(node));
            return false;
        }
        return true;
    }

    String requiredString(JsonNode obj, String name, String prefix) {
        JsonNode v = obj.get(name);
        String field = join(prefix, name);
        if (v == null) {
            fail(field, "missing");
            return null;
        }
        if (!v.isString()) {
            fail(field, "expected a string, found " + Json.describe(v));
            return null;
        }
        return v.stringValue();
    }

    JsonNode requiredArray(JsonNode obj, String name, String prefix) {
        JsonNode v = obj.get(name);
        String field = join(prefix, name);
        if (v == null) {
            fail(field, "missing");
            return null;
        }
        if (!v.isArray()) {
            fail(field, "expected an array, found " + Json.describe(v));
            return null;
        }
        return v;
    }

    JsonNode requiredObject(JsonNode obj, String name, String prefix) {
        JsonNode v = obj.get(name);
        String field = join(prefix, name);
        if (v == null) {
            fail(field, "missing");
            return null;
        }
        return requireObject(v, field) ? v : null;
    }

    /** A non-negative int; {@code null} without a problem when absent (or JSON null) and not required. */
    Integer intField(JsonNode obj, String name, String prefix, boolean required) {
        JsonNode v = obj.get(name);
        String field = join(prefix, name);
        if (v == null || v.isNull()) {
            if (required) {
                fail(field, "missing");
            }
            return null;
        }
        Integer i = nonNegativeInt(v);
        if (i == null) {
            fail(field, "expected a non-negative integer, found " + Json.describe(v));
        }
        return i;
    }

    static Integer nonNegativeInt(JsonNode v) {
        if (v == null || !v.isIntegralNumber() || !v.canConvertToInt()) {
            if (v != null && v.isFloatingPointNumber() && v.canConvertToExactIntegral() && v.canConvertToInt()) {
                int i = v.asInt();
                return i >= 0 ? i : null;
            }
            return null;
        }
        int i = v.intValue();
        return i >= 0 ? i : null;
    }

    /** An id that may be a string or an integer; rendered as text. {@code null} when absent. */
    String idField(JsonNode obj, String name, String prefix, boolean required) {
        JsonNode v = obj.get(name);
        String field = join(prefix, name);
        if (v == null || v.isNull()) {
            if (required) {
                fail(field, "missing");
            }
            return null;
        }
        String id = idText(v);
        if (id == null) {
            fail(field, "expected a string or an integer, found " + Json.describe(v));
        }
        return id;
    }

    static String idText(JsonNode v) {
        if (v == null) {
            return null;
        }
        if (v.isString()) {
            return v.stringValue();
        }
        if (v.isIntegralNumber()) {
            return v.bigIntegerValue().toString();
        }
        return null;
    }

    /** {@code [start, end]} as two non-negative ints, or {@code null} with a problem. */
    int[] intPair(JsonNode v, String field) {
        if (v == null) {
            fail(field, "missing");
            return null;
        }
        if (!v.isArray() || v.size() != 2) {
            fail(field, "expected [start, end], found " + Json.describe(v)
                    + (v.isArray() ? " of " + v.size() + " elements" : ""));
            return null;
        }
        Integer a = nonNegativeInt(v.get(0));
        Integer b = nonNegativeInt(v.get(1));
        if (a == null || b == null) {
            fail(field, "expected two non-negative integers, found " + v);
            return null;
        }
        return new int[] {a, b};
    }

    /**
     * A COCO RLE object {@code {"size": [h, w], "counts": "..."}} whose counts parse; checks its size against
     * {@code sizes}. Returns {@code null} with problems when invalid.
     */
    MaskRle mask(JsonNode v, String field, MaskSizes sizes, MaskCodec codec) {
        if (!requireObject(v, field)) {
            return null;
        }
        JsonNode size = v.get("size");
        int[] hw = null;
        if (size == null) {
            fail(field + ".size", "missing");
        } else if (!size.isArray() || size.size() != 2
                || nonNegativeInt(size.get(0)) == null || nonNegativeInt(size.get(1)) == null) {
            fail(field + ".size", "expected [height, width], found " + size);
        } else {
            hw = new int[] {size.get(0).intValue(), size.get(1).intValue()};
        }
        JsonNode countsNode = v.get("counts");
        String counts = null;
        if (countsNode == null) {
            fail(field + ".counts", "missing");
        } else if (!countsNode.isString()) {
            fail(field + ".counts", "expected a compressed RLE string, found " + Json.describe(countsNode));
        } else {
            counts = countsNode.stringValue();
        }
        if (hw == null || counts == null) {
            return null;
        }
        String sizeProblem = sizes == null ? null : sizes.accept(hw[0], hw[1]);
        if (sizeProblem != null) {
            fail(field + ".size", sizeProblem);
            return null;
        }
        try {
            codec.check(counts, hw[0], hw[1]);
        } catch (IllegalArgumentException e) {
            fail(field + ".counts", "not a valid compressed RLE of a " + hw[0] + "x" + hw[1] + " mask: " + e.getMessage());
            return null;
        }
        return new MaskRle(hw[0], hw[1], counts);
    }
}
