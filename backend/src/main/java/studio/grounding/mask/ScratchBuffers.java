package studio.grounding.mask;

/**
 * Per-thread scratch arrays for results whose size is only known at the end (merge output, encode output,
 * counts strings). Reusing a warm buffer and copying the exact result once is cheaper than allocating a
 * fresh, zeroed worst-case array per call. Buffers larger than {@link #MAX_KEPT} elements are not kept, so a
 * thread never retains more than about 1.3 MB.
 */
final class ScratchBuffers {

    static final int MAX_KEPT = 1 << 18;

    private static final ThreadLocal<int[]> INTS = ThreadLocal.withInitial(() -> new int[4096]);
    private static final ThreadLocal<byte[]> BYTES = ThreadLocal.withInitial(() -> new byte[16384]);

    private ScratchBuffers() {
    }

    /** A scratch int array of at least {@code min} elements, with arbitrary content. */
    static int[] ints(int min) {
        int[] a = INTS.get();
        if (a.length < min) {
            a = new int[Math.max(min, a.length * 2)];
            if (a.length <= MAX_KEPT) {
                INTS.set(a);
            }
        }
        return a;
    }

    /** A scratch byte array of at least {@code min} elements, with arbitrary content. */
    static byte[] bytes(int min) {
        byte[] a = BYTES.get();
        if (a.length < min) {
            a = new byte[Math.max(min, a.length * 2)];
            if (a.length <= MAX_KEPT * 4) {
                BYTES.set(a);
            }
        }
        return a;
    }
}
