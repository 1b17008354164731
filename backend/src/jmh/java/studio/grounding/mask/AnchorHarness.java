package studio.grounding.mask;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The timing method of the C anchor, mirrored in Java: per op, one pass covers the 50 items (area and bbox: the
 * 50 masks 20 times; IoU: one 50 x 50 call), and the figure is the median over 25 timed passes, reported as time
 * per operation. Unlike the C harness it first warms the JIT for {@code warmupMillis} per op (default 3000).
 * Medians resist the interference of other processes on a shared machine better than JMH's means.
 *
 * <p>Arguments: {@code [warmupMillis] [passes] [name filter]}. Run with
 * {@code mvn -B -pl backend -Pbench test-compile exec:exec -Dbench.main=studio.grounding.mask.AnchorHarness
 * -Djmh.args="3000 25"}.
 */
public final class AnchorHarness {

    private static final int N = AnchorWorkload.N;
    private static final int H = AnchorWorkload.H;
    private static final int W = AnchorWorkload.W;
    private static long sink;

    private AnchorHarness() {
    }

    interface Pass {
        void run();
    }

    private static String filter = "";

    private static void time(String name, int opsPerPass, long warmupMillis, int passes, Pass pass) {
        if (!name.contains(filter)) {
            return;
        }
        long end = System.nanoTime() + warmupMillis * 1_000_000L;
        int warm = 0;
        while (System.nanoTime() < end || warm < 2) {
            pass.run();
            warm++;
        }
        double[] t = new double[passes];
        for (int i = 0; i < passes; i++) {
            long t0 = System.nanoTime();
            pass.run();
            long t1 = System.nanoTime();
            t[i] = (t1 - t0) / 1000.0 / opsPerPass;
        }
        Arrays.sort(t);
        System.out.printf("%-22s %12.3f us/op   (min %.3f, max %.3f, %d warm-up passes)%n", name, t[passes / 2], t[0],
                t[passes - 1], warm);
    }

    public static void main(String[] args) {
        long warmup = args.length > 0 ? Long.parseLong(args[0]) : 3000;
        int passes = args.length > 1 ? Integer.parseInt(args[1]) : 25;
        filter = args.length > 2 ? args[2] : "";
        AnchorWorkload wl = AnchorWorkload.generate(true);
        byte[][] bitmaps = wl.bitmaps;
        Rle[] masks = wl.masks.toArray(new Rle[0]);
        List<Rle> maskList = wl.masks;
        String[] strings = new String[N];
        long area = 0;
        List<String> sl = new ArrayList<>();
        for (int i = 0; i < N; i++) {
            strings[i] = masks[i].toCompressedString();
            sl.add(strings[i]);
            area += masks[i].area();
        }
        System.out.printf("check: area %d fnv %016x%n", area, AnchorWorkload.fnv1a(sl));
        double[][] polys = wl.polygons.toArray(new double[0][]);
        List<List<Rle>> pairs = new ArrayList<>();
        for (int i = 0; i < N; i++) {
            pairs.add(List.of(masks[i], masks[(i + 1) % N]));
        }
        byte[] out = new byte[H * W];
        Arrays.fill(out, (byte) 1);
        Rle[] results = new Rle[N];
        String[] strOut = new String[N];

        time("encode", N, warmup, passes, () -> {
            for (int i = 0; i < N; i++) {
                results[i] = Rle.encode(bitmaps[i], H, W);
            }
        });
        time("decode (reused buffer)", N, warmup, passes, () -> {
            for (int i = 0; i < N; i++) {
                masks[i].decodeInto(out);
            }
            sink += out[i(out)];
        });
        time("toCompressedString", N, warmup, passes, () -> {
            for (int i = 0; i < N; i++) {
                strOut[i] = masks[i].toCompressedString();
            }
        });
        time("fromString", N, warmup, passes, () -> {
            for (int i = 0; i < N; i++) {
                results[i] = Rle.fromString(strings[i], H, W);
            }
        });
        time("area (computed)", N * 20, warmup, passes, () -> {
            long a = 0;
            for (int r = 0; r < 20; r++) {
                for (int i = 0; i < N; i++) {
                    a += masks[i].computeArea();
                }
            }
            sink += a;
        });
        time("bbox (computed)", N * 20, warmup, passes, () -> {
            double a = 0;
            for (int r = 0; r < 20; r++) {
                for (int i = 0; i < N; i++) {
                    a += masks[i].computeBbox()[2];
                }
            }
            sink += (long) a;
        });
        double[][][] o = new double[1][][];
        time("iou 50x50 (per call)", 1, warmup, passes, () -> o[0] = Rle.iou(maskList, maskList, null));
        time("merge union n=2", N, warmup, passes, () -> {
            for (int i = 0; i < N; i++) {
                results[i] = Rle.merge(pairs.get(i), false);
            }
        });
        time("merge intersection n=2", N, warmup, passes, () -> {
            for (int i = 0; i < N; i++) {
                results[i] = Rle.merge(pairs.get(i), true);
            }
        });
        time("fromPolygon 40 vertices", N, warmup, passes, () -> {
            for (int i = 0; i < N; i++) {
                results[i] = Rle.fromPolygon(polys[i], H, W);
            }
        });
        System.out.println("sink " + (sink & 1) + (results[0] == null ? 0 : results[0].runCount() % 2)
                + (strOut[0] == null ? 0 : strOut[0].length() % 2) + (o[0] == null ? 0 : o[0].length));
    }

    private static int i(byte[] b) {
        return b.length - 1;
    }
}
