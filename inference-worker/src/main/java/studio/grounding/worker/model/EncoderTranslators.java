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

    /**
     * Every exported part takes and returns float32 whatever its compute dtype (export/io_wrappers.py): DJL 0.35.1
     * aborts the JVM when it casts an NDArray to bfloat16, so Java never casts.
     */
    static NDArray toNd(NDManager manager, FloatTensor t) {
        return manager.create(t.data(), new Shape(t.shape()));
    }

    static FloatTensor fromNd(NDArray a) {
        if (a.getDataType() != DataType.FLOAT32) {
            throw new IllegalStateException("a GLaMM part returned " + a.getDataType() + ", not float32: the model "
                    + "directory was not written by export_glamm.py with float32 I/O");
        }
        return new FloatTensor(a.toFloatArray(), a.getShape().getShape());
    }

    /** RGB image -> CLIP input [1,3,336,336] -> global encoder -> image tokens [1,N,D]. */
    public static final class Clip implements NoBatchifyTranslator<RgbImage, EncoderOutput> {
        private final ImagePreprocessor pre;

        public Clip(ImagePreprocessor pre) {
            this.pre = pre;
        }

        @Override
        public NDList processInput(TranslatorContext ctx, RgbImage input) {
            long t0 = System.nanoTime();
            FloatTensor x = pre.clip(input);
            ctx.setAttachment("preprocessNanos", System.nanoTime() - t0);
            ctx.setAttachment("hw", new int[] {(int) x.shape()[2], (int) x.shape()[3]});
            return new NDList(toNd(ctx.getNDManager(), x));
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

        public Sam(ImagePreprocessor pre) {
            this.pre = pre;
        }

        @Override
        public NDList processInput(TranslatorContext ctx, RgbImage input) {
            long t0 = System.nanoTime();
            ImagePreprocessor.SamInput x = pre.sam(input);
            ctx.setAttachment("preprocessNanos", System.nanoTime() - t0);
            ctx.setAttachment("hw", new int[] {x.resizedHeight(), x.resizedWidth()});
            return new NDList(toNd(ctx.getNDManager(), x.tensor()));
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
        @Override
        public NDList processInput(TranslatorContext ctx, SegPrompts input) {
            return new NDList(toNd(ctx.getNDManager(), input.segHidden()),
                    toNd(ctx.getNDManager(), input.embedding()));
        }

        @Override
        public FloatTensor processOutput(TranslatorContext ctx, NDList list) {
            return fromNd(list.get(0));
        }
    }
}
