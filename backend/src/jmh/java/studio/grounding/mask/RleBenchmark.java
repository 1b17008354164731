package studio.grounding.mask;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The pycocotools C anchor workload ({@code shared/spec/rle-anchor.md}) through this library, one benchmark per
 * row of the anchor table. Every benchmark method is one pass over the 50 items (or one 50 x 50 IoU call), and
 * {@link OperationsPerInvocation} turns that into time per operation, the unit of the C table.
 *
 * <p>{@code area} and {@code bbox} measure the real computation (package-private {@code computeArea} /
 * {@code computeBbox}); {@code areaCached} / {@code bboxCached} measure the public accessors after the first call.
 * {@code iou} computes every mask's intervals, area and box inside the call, like rleIou.
 *
 * <p>Run: {@code mvn -B -pl backend -Pbench test-compile exec:exec -Djmh.args="-wi 3 -i 5 -f 1"}.
 */
@State(Scope.Benchmark)
@BenchmarkMode({Mode.SampleTime, Mode.AverageTime})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms3g", "-Xmx3g"})
public class RleBenchmark {

    private static final int N = AnchorWorkload.N;
    private static final int H = AnchorWorkload.H;
    private static final int W = AnchorWorkload.W;

    private byte[][] bitmaps;
    private Rle[] masks;
    private List<Rle> maskList;
    private String[] strings;
    private double[][] polygons;
    private List<List<Rle>> pairs;
    private byte[] out;

    @Setup(Level.Trial)
    public void setUp() {
        AnchorWorkload wl = AnchorWorkload.generate(true);
        // the same checks as AnchorWorkloadTest, so a diverging workload cannot be benchmarked silently
        long area = 0;
        long m = 0;
        List<String> s = new ArrayList<>();
        for (Rle r : wl.masks) {
            area += r.area();
            m += r.runCount();
            s.add(r.toCompressedString());
        }
        if (area != 15595374L || m != 103705L || AnchorWorkload.fnv1a(s) != 0x77765929635447c0L) {
            throw new IllegalStateException("benchmark workload differs from the C anchor");
        }
        bitmaps = wl.bitmaps;
        masks = wl.masks.toArray(new Rle[0]);
        maskList = wl.masks;
        strings = s.toArray(new String[0]);
        polygons = wl.polygons.toArray(new double[0][]);
        pairs = new ArrayList<>();
        for (int i = 0; i < N; i++) {
            pairs.add(List.of(masks[i], masks[(i + 1) % N]));
        }
        out = new byte[H * W];
        for (Rle r : masks) { // touch the output buffer and warm the caches of area/bbox for the *Cached variants
            r.decodeInto(out);
            r.area();
            r.bbox();
        }
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public void encode(Blackhole bh) {
        for (int i = 0; i < N; i++) {
            bh.consume(Rle.encode(bitmaps[i], H, W));
        }
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public void decode(Blackhole bh) {
        byte[] o = out;
        for (int i = 0; i < N; i++) {
            masks[i].decodeInto(o);
        }
        bh.consume(o[o.length - 1]);
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public void toCompressedString(Blackhole bh) {
        for (int i = 0; i < N; i++) {
            bh.consume(masks[i].toCompressedString());
        }
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public void fromString(Blackhole bh) {
        for (int i = 0; i < N; i++) {
            bh.consume(Rle.fromString(strings[i], H, W));
        }
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public long area() {
        long a = 0;
        for (int i = 0; i < N; i++) {
            a += masks[i].computeArea();
        }
        return a;
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public long areaCached() {
        long a = 0;
        for (int i = 0; i < N; i++) {
            a += masks[i].area();
        }
        return a;
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public void bbox(Blackhole bh) {
        for (int i = 0; i < N; i++) {
            bh.consume(masks[i].computeBbox());
        }
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public void bboxCached(Blackhole bh) {
        for (int i = 0; i < N; i++) {
            bh.consume(masks[i].bbox());
        }
    }

    /** One {@code rleIou} call, 50 dt x 50 gt (the same masks), per op. */
    @Benchmark
    public double[][] iou50x50() {
        return Rle.iou(maskList, maskList, null);
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public void mergeUnion(Blackhole bh) {
        for (int i = 0; i < N; i++) {
            bh.consume(Rle.merge(pairs.get(i), false));
        }
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public void mergeIntersection(Blackhole bh) {
        for (int i = 0; i < N; i++) {
            bh.consume(Rle.merge(pairs.get(i), true));
        }
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public void fromPolygon40(Blackhole bh) {
        for (int i = 0; i < N; i++) {
            bh.consume(Rle.fromPolygon(polygons[i], H, W));
        }
    }
}
