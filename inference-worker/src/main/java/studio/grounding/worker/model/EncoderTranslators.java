package studio.grounding.worker.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslatorContext;

/** The DJL translators of GLaMM's parts: preprocessing in {@code processInput}, copy-out in {@code processOutput}. */
public final class EncoderTranslators {

    private EncoderTranslators() {}

    static NDArray toNd(NDManager manager, FloatTensor t, DataType dtype) {
        NDArray a = manager.create(t.data(), new Shape(t.shape()));
        return dtype == DataType.FLOAT32 ? a : a.toType(dtype, false);
    }

    static FloatTensor fromNd(NDArray a) {
        NDArray f = a.getDataType() == DataType.FLOAT32 ? a : a.toType(DataType.FLOAT32, false);
        return new FloatTensor(f.toFloatArray(), f.getShape().getShape());
    }

    static DataType dataType(String name) {
        return switch (name) {
            case "float32" -> DataType.FLOAT32;
            case "bfloat16" -> DataType.BFLOAT16;
            case "float16" -> DataType.FLOAT16;
            default -> throw new IllegalArgumentException("unsupported dtype " + name);
        };
    }

    /** RGB image -> CLIP input [1,3,336,336] -> global encoder -> image tokens [1,N,D]. */
    public static final class Clip implements NoBatchifyTranslator<RgbImage, EncoderOutput> {
        private final ImagePreprocessor pre;
        private final DataType dtype;

        public Clip(ImagePreprocessor pre, DataType dtype) {
            this.pre = pre;
            this.dtype = dtype;
        }

        @Override
        public NDList processInput(TranslatorContext ctx, RgbImage input) {
            long t0 = System.nanoTime();
            FloatTensor x = pre.clip(input);
            ctx.setAttachment("preprocessNanos", System.nanoTime() - t0);
            ctx.setAttachment("hw", new int[] {(int) x.shape()[2], (int) x.shape()[3]});
            return new NDList(toNd(ctx.getNDManager(), x, dtype));
        }

        @Override
        public EncoderOutput processOutput(TranslatorContext ctx, NDList list) {
            int[] hw = (int[]) ctx.getAttachment("hw");
            return new EncoderOutput(fromNd(list.singletonOrThrow()), hw[0], hw[1],
                    (Long) ctx.getAttachment("preprocessNanos"));
        }
    }

    /** RGB image -> SAM input [1,3,1024,1024] -> grounding encoder -> image embedding [1,C,64,64]. */
    public static final class Sam implements NoBatchifyTranslator<RgbImage, EncoderOutput> {
        private final ImagePreprocessor pre;
        private final DataType dtype;

        public Sam(ImagePreprocessor pre, DataType dtype) {
            this.pre = pre;
            this.dtype = dtype;
        }

        @Override
        public NDList processInput(TranslatorContext ctx, RgbImage input) {
            long t0 = System.nanoTime();
            ImagePreprocessor.SamInput x = pre.sam(input);
            ctx.setAttachment("preprocessNanos", System.nanoTime() - t0);
            ctx.setAttachment("hw", new int[] {x.resizedHeight(), x.resizedWidth()});
            return new NDList(toNd(ctx.getNDManager(), x.tensor(), dtype));
        }

        @Override
        public EncoderOutput processOutput(TranslatorContext ctx, NDList list) {
            int[] hw = (int[]) ctx.getAttachment("hw");
            return new EncoderOutput(fromNd(list.singletonOrThrow()), hw[0], hw[1],
                    (Long) ctx.getAttachment("preprocessNanos"));
        }
    }

    /** The pixel decoder's input: [SEG] hidden states [N,D] and the grounding embedding [1,C,64,64]. */
    public record SegPrompts(FloatTensor segHidden, FloatTensor embedding) {}

    /** ([SEG] hidden states, grounding embedding) -> low-resolution mask logits [N,1,256,256]. */
    public static final class PixelDecoder implements NoBatchifyTranslator<SegPrompts, FloatTensor> {
        private final DataType dtype;

        public PixelDecoder(DataType dtype) {
            this.dtype = dtype;
        }

        @Override
        public NDList processInput(TranslatorContext ctx, SegPrompts input) {
            return new NDList(toNd(ctx.getNDManager(), input.segHidden(), dtype),
                    toNd(ctx.getNDManager(), input.embedding(), dtype));
        }

        @Override
        public FloatTensor processOutput(TranslatorContext ctx, NDList list) {
            return fromNd(list.get(0));
        }
    }
}
