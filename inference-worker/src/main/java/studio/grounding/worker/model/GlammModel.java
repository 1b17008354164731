package studio.grounding.worker.model;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.engine.Engine;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.training.ParameterStore;
import ai.djl.translate.NoopTranslator;
import ai.djl.translate.TranslateException;
import ai.djl.translate.Translator;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * GLaMM on DJL's PyTorch engine, from a model directory written by {@code export/export_glamm.py}: the GCG prompt
 * with the image tokens spliced in, greedy decoding with a KV cache kept on the device, the final hidden state of
 * every step that produced {@code [SEG]}, the pixel decoder, mask post-processing and RLE.
 *
 * <p>Loading needs DJL offline ({@link DjlOffline#enforce()} is called here too). Not thread-safe: one model per
 * worker thread (the parts are small next to the 7B language model, which dominates memory anyway).
 */
public final class GlammModel implements AutoCloseable {

    /** LLaVA's IMAGE_TOKEN_INDEX: the placeholder id of the image inside prompt ids. */
    public static final long IMAGE_TOKEN_INDEX = -200;

    private final GlammConfig cfg;
    private final Device device;
    private final HuggingFaceTokenizer tokenizer;
    private final ImagePreprocessor pre;
    private final MaskPostprocessor post;
    private final ZooModel<RgbImage, EncoderOutput> globalEncoder;
    private final ZooModel<RgbImage, EncoderOutput> groundingEncoder;
    private final ZooModel<EncoderTranslators.SegPrompts, FloatTensor> pixelDecoder;
    private final ZooModel<NDList, NDList> embedTokens;
    private final ZooModel<NDList, NDList> languageModel;
    private final long bosId;
    private final long eosId;
    private final long segId;

    private GlammModel(Path dir, Device device) throws IOException, ModelNotFoundException, MalformedModelException {
        DjlOffline.enforce();
        this.cfg = GlammConfig.read(dir);
        this.device = device;
        this.pre = new ImagePreprocessor(cfg);
        this.post = new MaskPostprocessor(cfg.samSize());
        this.tokenizer = HuggingFaceTokenizer.newInstance(dir.resolve("tokenizer.json"),
                Map.of("addSpecialTokens", "true", "truncation", "false", "padding", "false", "maxLength", "8192"));
        this.bosId = tokenId(cfg.bosToken());
        this.eosId = tokenId(cfg.eosToken());
        this.segId = tokenId(cfg.segToken());
        List<AutoCloseable> loaded = new ArrayList<>();
        try {
            globalEncoder = load(dir, "global_encoder", RgbImage.class, EncoderOutput.class,
                    new EncoderTranslators.Clip(pre), loaded);
            groundingEncoder = load(dir, "grounding_encoder", RgbImage.class, EncoderOutput.class,
                    new EncoderTranslators.Sam(pre), loaded);
            pixelDecoder = load(dir, "pixel_decoder", EncoderTranslators.SegPrompts.class, FloatTensor.class,
                    new EncoderTranslators.PixelDecoder(), loaded);
            embedTokens = load(dir, "embed_tokens", NDList.class, NDList.class, new NoopTranslator(), loaded);
            languageModel = load(dir, "language_model", NDList.class, NDList.class, new NoopTranslator(), loaded);
        } catch (IOException | ModelNotFoundException | MalformedModelException | RuntimeException e) {
            for (AutoCloseable c : loaded) {
                try {
                    c.close();
                } catch (Exception suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            tokenizer.close();
            throw e;
        }
    }

    /** Loads on the given device; see {@link #defaultDevice()}. */
    public static GlammModel load(Path modelDir, Device device)
            throws IOException, ModelNotFoundException, MalformedModelException {
        return new GlammModel(modelDir, device);
    }

    /** The first GPU when the engine sees one, else the CPU. */
    public static Device defaultDevice() {
        DjlOffline.enforce();
        return Engine.getEngine("PyTorch").getGpuCount() > 0 ? Device.gpu() : Device.cpu();
    }

    /**
     * The device for a configuration value: {@code auto} (GPU 0 when the engine sees one, else CPU), {@code cpu},
     * {@code gpu} or {@code gpu:N}. The build ships the CPU native library only; see the module README for GPU.
     */
    public static Device device(String spec) {
        String s = spec == null ? "auto" : spec.strip().toLowerCase(java.util.Locale.ROOT);
        if (s.equals("auto")) {
            return defaultDevice();
        }
        if (s.equals("cpu")) {
            return Device.cpu();
        }
        if (s.equals("gpu")) {
            return Device.gpu();
        }
        if (s.startsWith("gpu:")) {
            return Device.gpu(Integer.parseInt(s.substring(4)));
        }
        throw new IllegalArgumentException("device must be auto, cpu, gpu or gpu:N, not " + spec);
    }

    private <I, O> ZooModel<I, O> load(Path dir, String name, Class<I> in, Class<O> out, Translator<I, O> t,
                                       List<AutoCloseable> loaded)
            throws IOException, ModelNotFoundException, MalformedModelException {
        Criteria<I, O> criteria = Criteria.builder()
                .setTypes(in, out)
                .optModelPath(dir)
                .optModelName(name)
                .optEngine("PyTorch")
                .optDevice(device)
                .optTranslator(t)
                .build();
        ZooModel<I, O> m = criteria.loadModel();
        loaded.add(m);
        return m;
    }

    private long tokenId(String text) {
        long[] ids = tokenizer.encode(text, false, false).getIds();
        if (ids.length != 1) {
            throw new IllegalStateException("token " + text + " is not a single token in tokenizer.json: "
                    + Arrays.toString(ids));
        }
        return ids[0];
    }

    public GlammConfig config() {
        return cfg;
    }

    public long segTokenId() {
        return segId;
    }

    public long eosTokenId() {
        return eosId;
    }

    /**
     * The prompt ids as LLaVA's {@code tokenizer_image_token} builds them: every {@code <image>}-separated chunk is
     * tokenised with BOS, the first token of every chunk is dropped (it is BOS) and {@link #IMAGE_TOKEN_INDEX}
     * goes between chunks; one leading BOS is kept.
     */
    public long[] promptIds() {
        String[] chunks = cfg.prompt().split(java.util.regex.Pattern.quote(cfg.imagePlaceholder()), -1);
        List<long[]> enc = new ArrayList<>();
        for (String c : chunks) {
            enc.add(tokenizer.encode(c, true, false).getIds());
        }
        int offset = enc.get(0).length > 0 && enc.get(0)[0] == bosId ? 1 : 0;
        List<Long> out = new ArrayList<>();
        if (offset == 1) {
            out.add(bosId);
        }
        for (int i = 0; i < enc.size(); i++) {
            if (i > 0) {
                out.add(IMAGE_TOKEN_INDEX);
            }
            long[] e = enc.get(i);
            for (int j = offset; j < e.length; j++) {
                out.add(e[j]);
            }
        }
        return out.stream().mapToLong(Long::longValue).toArray();
    }

    public String decode(long[] ids) {
        return tokenizer.decode(ids, false);
    }

    public GlammPrediction predict(RgbImage image) {
        return predict(image, cfg.maxNewTokens());
    }

    public GlammPrediction predict(RgbImage image, int maxNewTokens) {
        StageTimings t = new StageTimings();
        long[] prompt = t.time("tokenize", this::promptIds);
        long c0 = System.nanoTime();
        EncoderOutput imageTokens = run(globalEncoder, image);
        t.add("clip_preprocess", imageTokens.preprocessNanos());
        t.add("global_encoder", System.nanoTime() - c0 - imageTokens.preprocessNanos());
        Decoded d = decode(prompt, imageTokens.tensor(), maxNewTokens, t);
        String raw = t.time("detokenize", () -> decode(d.ids()));
        GlammOutputParser.Parsed parsed = t.time("parse", () -> GlammOutputParser.parse(raw));
        List<GlammPrediction.Mask> masks = new ArrayList<>();
        if (!d.segHidden().isEmpty()) {
            long g0 = System.nanoTime();
            EncoderOutput emb = run(groundingEncoder, image);
            t.add("sam_preprocess", emb.preprocessNanos());
            t.add("grounding_encoder", System.nanoTime() - g0 - emb.preprocessNanos());
            int n = d.segHidden().size();
            int hid = cfg.hiddenSize();
            float[] seg = new float[n * hid];
            for (int i = 0; i < n; i++) {
                System.arraycopy(d.segHidden().get(i), 0, seg, i * hid, hid);
            }
            FloatTensor low = t.time("pixel_decoder", () -> run(pixelDecoder,
                    new EncoderTranslators.SegPrompts(new FloatTensor(seg, new long[] {n, hid}), emb.tensor())));
            int lh = (int) low.shape()[2];
            int lw = (int) low.shape()[3];
            t.time("mask_postprocess_rle", () -> {
                for (int i = 0; i < n; i++) {
                    float[] one = Arrays.copyOfRange(low.data(), i * lh * lw, (i + 1) * lh * lw);
                    byte[] bin = post.binaryColumnMajor(one, lh, lw, emb.inputHeight(), emb.inputWidth(),
                            image.height(), image.width());
                    int[] cnts = MaskRle.counts(bin);
                    masks.add(new GlammPrediction.Mask(image.height(), image.width(),
                            MaskRle.toCompressedString(cnts), MaskRle.area(cnts)));
                }
                return null;
            });
        }
        return new GlammPrediction(parsed.caption(), parsed.phrases(), List.copyOf(masks), raw, d.ids().length,
                t.millis());
    }

    private <I, O> O run(ZooModel<I, O> model, I input) {
        try (Predictor<I, O> p = model.newPredictor()) {
            return p.predict(input);
        } catch (TranslateException e) {
            throw new IllegalStateException("GLaMM part " + model.getName() + " failed", e);
        }
    }

    /** Generated ids (up to and including {@code </s>}) and the hidden state of each step that produced [SEG]. */
    public record Decoded(long[] ids, List<float[]> segHidden) {}

    /**
     * Greedy decoding with a KV cache on the device: the first step feeds the whole prompt (image tokens spliced in
     * through {@code embed_tokens}), each later step one token; stops at {@code </s>} or after
     * {@code maxNewTokens}.
     */
    public Decoded decode(long[] promptIds, FloatTensor imageTokens, int maxNewTokens, StageTimings t) {
        Block lm = languageModel.getBlock();
        Block embed = embedTokens.getBlock();
        try (NDManager m = languageModel.getNDManager().newSubManager(device)) {
            ParameterStore ps = new ParameterStore(m, false);
            long p0 = System.nanoTime();
            NDArray x = promptEmbeddings(m, ps, embed, promptIds, imageTokens);
            // empty float32 cache; the model casts it to its dtype and returns the cache in that dtype, which Java
            // only passes back (never reads or casts)
            NDArray past = m.zeros(new Shape(cfg.numLayers(), 2, 1, cfg.numHeads(), 0, cfg.headDim()),
                    DataType.FLOAT32);
            t.add("prompt_embed", System.nanoTime() - p0);
            List<Long> out = new ArrayList<>();
            List<float[]> seg = new ArrayList<>();
            for (int step = 0; step < maxNewTokens; step++) {
                long s0 = System.nanoTime();
                NDList res = lm.forward(ps, new NDList(x, past), false);
                NDArray logits = res.get(0);
                long next = logits.argMax(-1).toLongArray()[0];
                out.add(next);
                if (next == segId) {
                    seg.add(EncoderTranslators.fromNd(res.get(1)).data());
                }
                NDArray newPast = res.get(2);
                // free what this step no longer needs: the old cache and the other outputs
                past.close();
                x.close();
                logits.close();
                res.get(1).close();
                past = newPast;
                t.add(step == 0 ? "prefill" : "decode_steps", System.nanoTime() - s0);
                if (next == eosId) {
                    break;
                }
                long e0 = System.nanoTime();
                x = embed.forward(ps, new NDList(m.create(new long[] {next}, new Shape(1, 1))), false).singletonOrThrow();
                t.add("decode_steps", System.nanoTime() - e0);
            }
            return new Decoded(out.stream().mapToLong(Long::longValue).toArray(), List.copyOf(seg));
        }
    }

    private NDArray promptEmbeddings(NDManager m, ParameterStore ps, Block embed, long[] ids, FloatTensor image) {
        NDList parts = new NDList();
        int start = 0;
        for (int i = 0; i <= ids.length; i++) {
            if (i == ids.length || ids[i] == IMAGE_TOKEN_INDEX) {
                if (i > start) {
                    long[] chunk = Arrays.copyOfRange(ids, start, i);
                    parts.add(embed.forward(ps, new NDList(m.create(chunk, new Shape(1, chunk.length))), false)
                            .singletonOrThrow());
                }
                if (i < ids.length) {
                    parts.add(EncoderTranslators.toNd(m, image));
                }
                start = i + 1;
            }
        }
        return parts.size() == 1 ? parts.get(0) : NDArrays.concat(parts, 1);
    }

    @Override
    public void close() {
        for (ZooModel<?, ?> z : List.of(globalEncoder, groundingEncoder, pixelDecoder, embedTokens, languageModel)) {
            z.close();
        }
        tokenizer.close();
    }
}
