package studio.grounding.interchange;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.List;

/**
 * {@link MaskCodec} backed by the mask library {@code studio.grounding.mask.Rle}.
 *
 * <p>TEMPORARY: the mask library is written on another branch and not merged yet, so it is bound by reflection.
 * Once {@code studio.grounding.mask.Rle} is on this branch this class calls it directly.
 */
final class RleMaskCodec implements MaskCodec {

    static final RleMaskCodec INSTANCE = new RleMaskCodec();

    private static final String RLE = "studio.grounding.mask.Rle";

    private RleMaskCodec() {
    }

    @Override
    public void check(String counts, int height, int width) {
        fromString(counts, height, width);
    }

    @Override
    public String fromPolygons(List<double[]> polygons, int height, int width) {
        Object rle = invokeStatic("fromPolygons", new Class<?>[] {List.class, int.class, int.class}, polygons, height, width);
        return (String) invoke(rle, "toCompressedString");
    }

    @Override
    public long area(String counts, int height, int width) {
        return (Long) invoke(fromString(counts, height, width), "area");
    }

    @Override
    public double[] bbox(String counts, int height, int width) {
        return (double[]) invoke(fromString(counts, height, width), "bbox");
    }

    private Object fromString(String counts, int height, int width) {
        return invokeStatic("fromString", new Class<?>[] {String.class, int.class, int.class}, counts, height, width);
    }

    private static Object invokeStatic(String name, Class<?>[] types, Object... args) {
        try {
            Method m = Class.forName(RLE).getMethod(name, types);
            return m.invoke(null, args);
        } catch (InvocationTargetException e) {
            throw rethrow(e);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("mask library " + RLE + " is not available", e);
        }
    }

    private static Object invoke(Object target, String name) {
        try {
            return target.getClass().getMethod(name).invoke(target);
        } catch (InvocationTargetException e) {
            throw rethrow(e);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("mask library " + RLE + " is not available", e);
        }
    }

    private static RuntimeException rethrow(InvocationTargetException e) {
        if (e.getCause() instanceof RuntimeException r) {
            return r;
        }
        return new IllegalStateException(e.getCause());
    }
}
