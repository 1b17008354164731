package studio.grounding.mask;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Every reference case of {@code rle-vectors.json} (produced by pycocotools' C code) against this library. */
class RleVectorsTest {

    private static JsonNode root;
    private static final Map<String, Rle> MASKS = new HashMap<>();

    @BeforeAll
    static void load() throws Exception {
        try (InputStream in = RleVectorsTest.class.getResourceAsStream("/mask/rle-vectors.json")) {
            root = JsonMapper.builder().build().readTree(in);
        }
        for (JsonNode m : root.get("masks")) {
            MASKS.put(m.get("id").asString(), Rle.fromCounts(m.get("h").asInt(), m.get("w").asInt(), ints(m.get("cnts"))));
        }
    }

    static int[] ints(JsonNode arr) {
        int[] r = new int[arr.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = arr.get(i).asInt();
        }
        return r;
    }

    static double[] doubles(JsonNode arr) {
        double[] r = new double[arr.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = arr.get(i).asDouble();
        }
        return r;
    }

    private static void assertMaskCase(JsonNode c, Rle r) {
        if (c.has("cnts")) {
            assertArrayEquals(ints(c.get("cnts")), r.counts(), "cnts");
        }
        assertEquals(c.get("m").asInt(), r.runCount(), "m");
        assertEquals(c.get("counts").asString(), r.toCompressedString(), "counts string");
        assertEquals(c.get("area").asLong(), r.area(), "area");
        assertEquals(c.get("area").asLong(), r.computeArea(), "area (uncached)");
        assertArrayEquals(doubles(c.get("bbox")), r.bbox(), "bbox");
    }

    @TestFactory
    Stream<DynamicTest> masks() {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode c : root.get("masks")) {
            int h = c.get("h").asInt();
            int w = c.get("w").asInt();
            String id = c.get("id").asString();
            tests.add(dynamicTest(id, () -> {
                Rle fromCounts = Rle.fromCounts(h, w, ints(c.get("cnts")));
                assertMaskCase(c, fromCounts);
                Rle parsed = Rle.fromString(c.get("counts").asString(), h, w);
                assertEquals(fromCounts, parsed, "fromString");
                byte[] bitmap = fromCounts.decode();
                Rle encoded = Rle.encode(bitmap, h, w);
                assertMaskCase(c, encoded);
                assertEquals(c.get("area").asLong(), popcount(bitmap), "decoded popcount");
            }));
        }
        return tests.stream();
    }

    static long popcount(byte[] b) {
        long n = 0;
        for (byte x : b) {
            n += x;
        }
        return n;
    }

    @TestFactory
    Stream<DynamicTest> pairs() {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode c : root.get("pairs")) {
            String name = c.get("a").asString() + " vs " + c.get("b").asString();
            tests.add(dynamicTest(name, () -> {
                Rle a = MASKS.get(c.get("a").asString());
                Rle b = MASKS.get(c.get("b").asString());
                assertEquals(c.get("iou").asDouble(), Rle.iou(a, b, false), 0.0, "iou");
                assertEquals(c.get("iou_crowd").asDouble(), Rle.iou(a, b, true), 0.0, "iou_crowd");
                double[][] matrix = Rle.iou(List.of(a), List.of(b), new boolean[] {true});
                assertEquals(c.get("iou_crowd").asDouble(), matrix[0][0], 0.0, "iou matrix crowd");
                Rle u = Rle.union(List.of(a, b));
                Rle i = Rle.intersection(List.of(a, b));
                assertArrayEquals(ints(c.get("union_cnts")), u.counts(), "union cnts");
                assertArrayEquals(ints(c.get("inter_cnts")), i.counts(), "inter cnts");
                assertEquals(c.get("union_counts").asString(), u.toCompressedString());
                assertEquals(c.get("inter_counts").asString(), i.toCompressedString());
                assertEquals(c.get("union_area").asLong(), u.area());
                assertEquals(c.get("inter_area").asLong(), i.area());
            }));
        }
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> merges() {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode c : root.get("merges")) {
            List<Rle> rs = new ArrayList<>();
            for (JsonNode id : c.get("ids")) {
                rs.add(MASKS.get(id.asString()));
            }
            tests.add(dynamicTest(c.get("ids").toString(), () -> {
                Rle u = Rle.merge(rs, false);
                Rle i = Rle.merge(rs, true);
                assertEquals(c.get("union_counts").asString(), u.toCompressedString());
                assertEquals(c.get("inter_counts").asString(), i.toCompressedString());
                assertEquals(c.get("union_area").asLong(), u.area());
                assertEquals(c.get("inter_area").asLong(), i.area());
            }));
        }
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> polygons() {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode c : root.get("polygons")) {
            tests.add(dynamicTest(c.get("id").asString(), () -> assertMaskCase(c,
                    Rle.fromPolygon(doubles(c.get("xy")), c.get("h").asInt(), c.get("w").asInt()))));
        }
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> multipolygons() {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode c : root.get("multipolygons")) {
            List<double[]> polys = new ArrayList<>();
            for (JsonNode p : c.get("polys")) {
                polys.add(doubles(p));
            }
            tests.add(dynamicTest(c.get("id").asString(), () -> assertMaskCase(c,
                    Rle.fromPolygons(polys, c.get("h").asInt(), c.get("w").asInt()))));
        }
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> frbbox() {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode c : root.get("frbbox")) {
            tests.add(dynamicTest(c.get("in_bbox").toString() + " in " + c.get("h") + "x" + c.get("w"),
                    () -> assertMaskCase(c, Rle.fromBbox(doubles(c.get("in_bbox")), c.get("h").asInt(),
                            c.get("w").asInt()))));
        }
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> codec() {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode c : root.get("codec")) {
            int[] cnts = ints(c.get("cnts"));
            String s = c.get("counts").asString();
            tests.add(dynamicTest(c.get("cnts").toString(), () -> {
                assertEquals(s, RleStrings.encode(cnts, cnts.length), "rleToString");
                long[] raw = RleStrings.decodeRaw(s);
                assertEquals(cnts.length, raw.length);
                for (int i = 0; i < cnts.length; i++) {
                    assertEquals(cnts[i], raw[i], "rleFrString value " + i);
                }
                long sum = 0;
                for (int x : cnts) {
                    sum += x;
                }
                if (sum <= Rle.MAX_PIXELS) {
                    // as a 1 x sum mask through the public API
                    Rle r = Rle.fromString(s, 1, (int) sum);
                    assertArrayEquals(cnts, r.counts());
                    assertEquals(s, r.toCompressedString());
                }
            }));
        }
        return tests.stream();
    }
}
