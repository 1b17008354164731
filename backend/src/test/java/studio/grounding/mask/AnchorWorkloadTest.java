package studio.grounding.mask;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Checks the benchmark workload generator against the checksums published with the C anchor
 * ({@code shared/spec/rle-anchor.md}), and with it this library's encode, toString, frPoly, IoU and merge on
 * 50 realistic 1500 x 2250 masks.
 */
class AnchorWorkloadTest {

    private static final String MASK_M_AREA = "2365/491974 3421/622796 1459/110742 3275/490670 2019/265005 267/20750 "
            + "1785/298229 1603/126074 1601/186828 1732/214864 3661/481763 2809/647176 2007/270026 3795/760824 "
            + "3543/415186 2743/491973 4019/537002 881/191704 1105/259148 1375/183574 415/41976 2426/383897 "
            + "2855/625822 979/79037 2259/271845 4073/672613 2355/278093 3235/647300 207/9259 1139/130447 "
            + "4177/608053 3229/504768 1087/160470 1661/233087 351/14505 3037/465258 2795/460355 2253/410213 "
            + "1189/247113 527/24233 539/54388 1673/274390 3969/477013 555/33824 1341/302549 1620/175517 "
            + "2047/221409 2227/293057 3039/311260 981/117315";
    private static final String POLY_M_AREA = "1841/303172 249/4156 377/10359 1893/219696 529/22974 1373/103982 "
            + "839/63538 1205/115257 1041/134078 1457/127033 595/68947 883/39711 711/33637 319/5481 409/16886 "
            + "419/10300 2589/396089 591/29207 1667/188056 859/104883 1957/316999 1859/246519 747/28327 "
            + "1205/121578 1433/218302 1329/89207 1817/184602 289/6065 1133/119958 1983/295520 905/57246 "
            + "1603/208938 1689/196731 1199/153468 1107/232342 2383/328485 1717/130986 1083/74413 669/22327 "
            + "751/40746 1047/71196 745/47087 1775/279532 495/13920 457/20865 323/8525 1659/160806 1941/208395 "
            + "1357/131263 427/16139";

    private static AnchorWorkload wl;

    @BeforeAll
    static void generate() {
        wl = AnchorWorkload.generate(false);
    }

    private static String mArea(List<Rle> rles) {
        List<String> parts = new ArrayList<>();
        for (Rle r : rles) {
            parts.add(r.runCount() + "/" + r.area());
        }
        return String.join(" ", parts);
    }

    @Test
    void masksMatchTheAnchorChecksums() {
        long area = 0;
        long m = 0;
        long len = 0;
        List<String> strings = new ArrayList<>();
        for (Rle r : wl.masks) {
            area += r.area();
            m += r.runCount();
            String s = r.toCompressedString();
            len += s.length();
            strings.add(s);
        }
        assertEquals(15595374L, area, "sum of areas");
        assertEquals(103705L, m, "sum of m");
        assertEquals(147506L, len, "sum of string lengths");
        assertEquals(0x77765929635447c0L, AnchorWorkload.fnv1a(strings), "FNV-1a of counts strings");
        assertEquals(MASK_M_AREA, mArea(wl.masks));
    }

    @Test
    void maskZeroDetails() {
        Rle r0 = wl.masks.getFirst();
        assertEquals(2365, r0.runCount());
        int[] c = r0.counts();
        assertArrayEquals(new int[] {160059, 56, 1432, 79}, java.util.Arrays.copyOf(c, 4));
        assertTrue(r0.toCompressedString().startsWith("kYl4h1h\\1g0[Oc0_O?B=D<D;"));
    }

    @Test
    void polygonsMatchTheAnchorChecksums() {
        double[] p0 = wl.polygons.getFirst();
        assertEquals(999.75502906806969, p0[0], 0.0);
        assertEquals(1061.7927048696233, p0[1], 0.0);
        List<Rle> rles = new ArrayList<>();
        List<String> strings = new ArrayList<>();
        long area = 0;
        long m = 0;
        for (double[] xy : wl.polygons) {
            assertEquals(80, xy.length);
            Rle r = Rle.fromPolygon(xy, AnchorWorkload.H, AnchorWorkload.W);
            rles.add(r);
            strings.add(r.toCompressedString());
            area += r.area();
            m += r.runCount();
        }
        assertEquals(6027929L, area, "frPoly sum of areas");
        assertEquals(56930L, m, "frPoly sum of m");
        assertEquals(0x19fa07a9398d3da9L, AnchorWorkload.fnv1a(strings), "frPoly FNV-1a");
        assertEquals(POLY_M_AREA, mArea(rles));
    }

    @Test
    void iouMatrixMatchesTheAnchor() {
        double[][] o = Rle.iou(wl.masks, wl.masks, null);
        double sum = 0;
        int positive = 0;
        int overlappingBoxes = 0;
        for (int d = 0; d < AnchorWorkload.N; d++) {
            double[] bd = wl.masks.get(d).bbox();
            for (int g = 0; g < AnchorWorkload.N; g++) {
                sum += o[d][g];
                if (o[d][g] > 0) {
                    positive++;
                }
                double[] bg = wl.masks.get(g).bbox();
                if (Math.min(bd[0] + bd[2], bg[0] + bg[2]) - Math.max(bd[0], bg[0]) > 0
                        && Math.min(bd[1] + bd[3], bg[1] + bg[3]) - Math.max(bd[1], bg[1]) > 0) {
                    overlappingBoxes++;
                }
                assertEquals(o[d][g], o[g][d], 0.0, "symmetric");
            }
            assertEquals(1.0, o[d][d], 0.0, "self IoU");
        }
        assertEquals(1984, overlappingBoxes, "pairs with overlapping boxes");
        assertEquals(1278, positive, "pairs with IoU > 0");
        assertEquals(151.909232004822, sum, 1e-9, "sum of IoUs");
    }

    @Test
    void unionAreasMatchTheAnchor() {
        long sum = 0;
        for (int i = 0; i < AnchorWorkload.N; i++) {
            Rle a = wl.masks.get(i);
            Rle b = wl.masks.get((i + 1) % AnchorWorkload.N);
            Rle u = Rle.union(List.of(a, b));
            Rle in = Rle.intersection(List.of(a, b));
            assertEquals(a.area() + b.area(), u.area() + in.area(), "inclusion-exclusion for pair " + i);
            sum += u.area();
        }
        assertEquals(29969965L, sum, "sum of union areas");
    }
}
