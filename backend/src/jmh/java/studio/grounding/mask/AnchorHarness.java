package studio.grounding.mask;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The timing method of the C anchor ({@code shared/spec/rle-anchor.md}), mirrored in Java and, when the C harness
 * is given, run <b>alternately with pycocotools' C code in the same run</b>: per op, one pass covers the 50 items
 * (area and bbox: the 50 masks 20 times; IoU: one 50 x 50 call); a round is the median of {@code passes} timed
 * passes; Java and C rounds alternate (ABAB, the first side switching every round) so that load from other
 * processes hits both alike; the figures are the medians over the rounds and the ratio is the median of the
 * per-round Java/C ratios.
 *
 * <p>JIT warm-up: every op first runs until it is compiled, not for a fixed time: at least
 * {@value #MIN_WARMUP_PASSES} passes and {@value #MIN_WARMUP_MS} ms, then until the JIT's total compilation time
 * ({@link CompilationMXBean}) has not changed for {@value #QUIET_PASSES} passes and {@value #QUIET_MS} ms (capped
 * at {@value #MAX_WARMUP_MS} ms; the output says if the cap was hit). The C side does the anchor's 2 untimed
 * passes before each round.
 *
 * <p>Arguments: {@code [rounds (7)] [passes (25)] [name filter]}; {@code -Dbench.c=PATH} is the compiled
 * {@code src/jmh/c/rle_anchor_bench.c} (without it only Java is timed). {@code ./studio bench rle-compare DIR}
 * builds the C side from {@code DIR/maskApi.c} and runs this.
 */
public final class AnchorHarness {

    private static final int N = AnchorWorkload.N;
    private static final int H = AnchorWorkload.H;
    private static final int W = AnchorWorkload.W;
    static final int MIN_WARMUP_PASSES = 50;
    static final int MIN_WARMUP_MS = 1000;
    static final int QUIET_PASSES = 30;
    static final int QUIET_MS = 1500;
    static final int MAX_WARMUP_MS = 60_000;
    private static long sink;

    private AnchorHarness() {
    }

    interface Pass {
        void run();
    }

    record Op(String name, String cName, int opsPerPass, Pass pass) {
    }

    /** The C harness as a child process: one command line per round, one answer line. */
    private static final class CSide implements AutoCloseable {
        private final Process process;
        private final PrintWriter in;
        private final BufferedReader out;

        CSide(String binary, Path workload) throws IOException {
            process = new ProcessBuilder(binary, workload.toString()).redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            in = new PrintWriter(process.getOutputStream(), true, StandardCharsets.US_ASCII);
            out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.US_ASCII));
        }

        String checkLine() throws IOException {
            return out.readLine();
        }

        double round(String op, int passes) throws IOException {
            in.println(op + " " + passes);
            String line = out.readLine();
            if (line == null || line.startsWith("error")) {
                throw new IllegalStateException("C harness: " + line);
            }
            return Double.parseDouble(line.split(" ")[0]);
        }

        @Override
        public void close() {
            in.close();
            process.destroy();
        }
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    /** Runs the op until the JIT is done with it; returns the number of warm-up passes and whether it settled. */
    static String warmUp(Pass pass) {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        long start = System.nanoTime();
        long lastCompile = jit.getTotalCompilationTime();
        long lastChange = start;
        int passes = 0;
        int quietPasses = 0;
        while (true) {
            pass.run();
            passes++;
            long now = System.nanoTime();
            long compile = jit.getTotalCompilationTime();
            if (compile != lastCompile) {
                lastCompile = compile;
                lastChange = now;
                quietPasses = 0;
            } else {
                quietPasses++;
            }
            long elapsedMs = (now - start) / 1_000_000;
            if (passes >= MIN_WARMUP_PASSES && elapsedMs >= MIN_WARMUP_MS && quietPasses >= QUIET_PASSES
                    && (now - lastChange) / 1_000_000 >= QUIET_MS) {
                return passes + " passes, " + elapsedMs + " ms, JIT quiet";
            }
            if (elapsedMs >= MAX_WARMUP_MS) {
                return passes + " passes, " + elapsedMs + " ms, cap hit (JIT still compiling)";
            }
        }
    }

    static double javaRound(Op op, int passes) {
        double[] t = new double[passes];
        for (int i = 0; i < passes; i++) {
            long t0 = System.nanoTime();
            op.pass().run();
            long t1 = System.nanoTime();
            t[i] = (t1 - t0) / 1000.0 / op.opsPerPass();
        }
        return median(t);
    }

    private static Path writeWorkload(Rle[] masks, double[][] polys) throws IOException {
        int bytes = 12 + 8;
        for (Rle r : masks) {
            bytes += 4 + 4 * r.runCount();
        }
        bytes += polys.length * polys[0].length * 8;
        ByteBuffer b = ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(H).putInt(W).putInt(masks.length);
        for (Rle r : masks) {
            int[] c = r.countsView();
            b.putInt(c.length);
            for (int v : c) {
                b.putInt(v);
            }
        }
        b.putInt(polys.length).putInt(polys[0].length / 2);
        for (double[] p : polys) {
            for (double d : p) {
                b.putDouble(d);
            }
        }
        Path f = Files.createTempFile("rle-anchor-workload", ".bin");
        f.toFile().deleteOnExit();
        try (OutputStream o = Files.newOutputStream(f)) {
            o.write(b.array());
        }
        return f;
    }

    private static String load() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException | RuntimeException e) {
            return "n/a";
        }
    }

    public static void main(String[] args) throws IOException {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 7;
        int passes = args.length > 1 ? Integer.parseInt(args[1]) : 25;
        String filter = args.length > 2 ? args[2] : "";
        String cBinary = System.getProperty("bench.c", "");
        AnchorWorkload wl = AnchorWorkload.generate(true);
        byte[][] bitmaps = wl.bitmaps;
        Rle[] masks = wl.masks.toArray(new Rle[0]);
        List<Rle> maskList = wl.masks;
        String[] strings = new String[N];
        long area = 0;
        long runs = 0;
        List<String> sl = new ArrayList<>();
        for (int i = 0; i < N; i++) {
            strings[i] = masks[i].toCompressedString();
            sl.add(strings[i]);
            area += masks[i].area();
            runs += masks[i].runCount();
        }
        String check = String.format("check %d %d %016x", area, runs, AnchorWorkload.fnv1a(sl));
        System.out.println("java  " + check);
        double[][] polys = wl.polygons.toArray(new double[0][]);
        List<List<Rle>> pairs = new ArrayList<>();
        for (int i = 0; i < N; i++) {
            pairs.add(List.of(masks[i], masks[(i + 1) % N]));
        }
        byte[] out = new byte[H * W];
        Arrays.fill(out, (byte) 1);
        Rle[] results = new Rle[N];
        String[] strOut = new String[N];
        double[][][] o = new double[1][][];

        List<Op> ops = List.of(
                new Op("encode", "encode", N, () -> {
                    for (int i = 0; i < N; i++) {
                        results[i] = Rle.encode(bitmaps[i], H, W);
                    }
                }),
                new Op("decode (reused buffer)", "decode", N, () -> {
                    for (int i = 0; i < N; i++) {
                        masks[i].decodeInto(out);
                    }
                    sink += out[out.length - 1];
                }),
                new Op("toString", "toString", N, () -> {
                    for (int i = 0; i < N; i++) {
                        strOut[i] = masks[i].toCompressedString();
                    }
                }),
                new Op("fromString", "frString", N, () -> {
                    for (int i = 0; i < N; i++) {
                        results[i] = Rle.fromString(strings[i], H, W);
                    }
                }),
                new Op("area (computed)", "area", N * 20, () -> {
                    long a = 0;
                    for (int r = 0; r < 20; r++) {
                        for (int i = 0; i < N; i++) {
                            a += masks[i].computeArea();
                        }
                    }
                    sink += a;
                }),
                new Op("bbox (computed)", "bbox", N * 20, () -> {
                    double a = 0;
                    for (int r = 0; r < 20; r++) {
                        for (int i = 0; i < N; i++) {
                            a += masks[i].computeBbox()[2];
                        }
                    }
                    sink += (long) a;
                }),
                new Op("iou 50x50 (per call)", "iou", 1, () -> o[0] = Rle.iou(maskList, maskList, null)),
                new Op("merge union n=2", "union", N, () -> {
                    for (int i = 0; i < N; i++) {
                        results[i] = Rle.merge(pairs.get(i), false);
                    }
                }),
                new Op("merge intersection n=2", "intersection", N, () -> {
                    for (int i = 0; i < N; i++) {
                        results[i] = Rle.merge(pairs.get(i), true);
                    }
                }),
                new Op("fromPolygon 40 vertices", "frPoly", N, () -> {
                    for (int i = 0; i < N; i++) {
                        results[i] = Rle.fromPolygon(polys[i], H, W);
                    }
                }));

        CSide c = null;
        if (!cBinary.isEmpty()) {
            c = new CSide(cBinary, writeWorkload(masks, polys));
            String cCheck = c.checkLine();
            System.out.println("C     " + cCheck);
            if (!check.equals(cCheck)) {
                c.close();
                throw new IllegalStateException("the C harness sees a different workload: " + cCheck);
            }
        }
        System.out.printf(Locale.ROOT, "rounds %d x %d passes, alternating Java/C: %s; load at start: %s%n", rounds,
                passes, c != null, load());
        Map<String, String> rows = new LinkedHashMap<>();
        for (Op op : ops) {
            if (!op.name().contains(filter)) {
                continue;
            }
            String warm = warmUp(op.pass());
            double[] j = new double[rounds];
            double[] cc = new double[rounds];
            double[] ratio = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                if (c != null && r % 2 == 1) {
                    cc[r] = c.round(op.cName(), passes);
                    j[r] = javaRound(op, passes);
                } else {
                    j[r] = javaRound(op, passes);
                    if (c != null) {
                        cc[r] = c.round(op.cName(), passes);
                    }
                }
                ratio[r] = c != null ? j[r] / cc[r] : Double.NaN;
            }
            Arrays.sort(ratio);
            String row = c != null
                    ? String.format(Locale.ROOT, "%-24s %11.3f %11.3f %8.2fx  (rounds %.2f-%.2fx; warm-up %s)",
                            op.name(), median(j), median(cc), median(ratio), ratio[0], ratio[rounds - 1], warm)
                    : String.format(Locale.ROOT, "%-24s %11.3f  (round medians %.3f-%.3f; warm-up %s)", op.name(),
                            median(j), Arrays.stream(j).min().orElse(0), Arrays.stream(j).max().orElse(0), warm);
            System.out.println(row);
            rows.put(op.name(), row);
        }
        if (c != null) {
            c.close();
        }
        System.out.println();
        System.out.println(c != null ? "op                        Java us/op     C us/op   Java/C (median of per-round ratios)"
                : "op                        Java us/op");
        rows.values().forEach(System.out::println);
        System.out.printf(Locale.ROOT, "load at end: %s%n", load());
        System.out.println("sink " + (sink & 1) + (results[0] == null ? 0 : results[0].runCount() % 2)
                + (strOut[0] == null ? 0 : strOut[0].length() % 2) + (o[0] == null ? 0 : o[0].length));
    }
}
