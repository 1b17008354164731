package studio.grounding.worker.model;

import java.util.Arrays;

/** A dense float tensor on the Java heap, row-major (C order). */
public record FloatTensor(float[] data, long[] shape) {

    public FloatTensor {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        if (n != data.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " does not hold " + data.length);
        }
    }

    public float get(long... idx) {
        long off = 0;
        for (int i = 0; i < shape.length; i++) {
            off = off * shape[i] + idx[i];
        }
        return data[(int) off];
    }

    @Override
    public String toString() {
        return "FloatTensor" + Arrays.toString(shape);
    }
}
