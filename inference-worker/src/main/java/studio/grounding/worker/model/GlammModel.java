package studio.grounding.worker.model;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.training.ParameterStore;
import ai.djl.translate.NoopTranslator;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * GLaMM on DJL's PyTorch engine, from a model directory written by {@code export/export_glamm.py}: the GCG prompt
 * with the image tokens spliced in, batched greedy decoding with a preallocated KV cache kept on the device (written
 * in place by the language model), the final hidden state of every step that produced {@code [SEG]}, the grounding
 * encoder and pixel decoder over the whole batch, mask post-processing and RLE.
 *
 * <p>A batch shares the prompt and the number of image tokens, so its rows stay aligned without padding: one
 * language-model call per token for the whole batch. A row leaves the batch at {@code </s>} (or its token budget);
 * the cache is compacted only then. Results are the same as one image at a time ({@code GlammModelBatchTest}).
 *
 * <p>Loading checks the directory against this worker: the export device (traced TorchScript runs only on the
 * device it was traced on), the official prompt ids (DJL's tokenizers must reproduce the slow tokenizer's), and one
 * language-model step on the device (dtype of the cache, output shapes). Needs DJL offline ({@link DjlOffline#enforce()}
 * is called here too). Not thread-safe: one model per worker thread.
 */
public final class GlammModel implements AutoCloseable {

    /** LLaVA's IMAGE_TOKEN_INDEX: the placeholder id of the image inside prompt ids. */
    public static final long IMAGE_TOKEN_INDEX = -200;

    private static final Logger log = LoggerFactory.getLogger(GlammModel.class);

    private final Path dir;
    private final GlammConfig cfg;
    private final Device device;
    private final HuggingFaceTokenizer tokenizer;
    private final ImagePreprocessor pre;
    private final MaskPostprocessor post;
    private final ZooModel<NDList, NDList> globalEncoder;
    private final ZooModel<NDList, NDList> groundingEncoder;
    private final ZooModel<NDList, NDList> pixelDecoder;
    private final ZooModel<NDList, NDList> embedTokens;
    private final ZooModel<NDList, NDList> languageModel;
    /** SAM's prompt encoder + mask decoder for interactive prompts; null in a directory exported without it. */
    private final ZooModel<NDList, NDList> promptDecoder;
    private final DataType cacheType;
    /** Zeros [L,2,1,H,1,Dh] in the export dtype, made by the language model (DJL aborts creating bf16 itself). */
    private NDArray zeroSlot;
    private final long bosId;
    private final long eosId;
    private final long segId;

    private GlammModel(Path dir, Device device) throws IOException, ModelNotFoundException, MalformedModelException {
        DjlOffline.enforce();
        this.dir = dir;
        this.cfg = GlammConfig.read(dir);
        this.device = device;
        checkDevice(dir, cfg, device);
        this.cacheType = switch (cfg.dtype()) {
            case "float32" -> DataType.FLOAT32;
            case "bfloat16" -> DataType.BFLOAT16;
            case "float16" -> DataType.FLOAT16;
            default -> throw new IOException(dir.resolve("glamm.json") + ": dtype " + cfg.dtype()
                    + " is not float32, bfloat16 or float16");
        };
        this.pre = new ImagePreprocessor(cfg);
        this.post = new MaskPostprocessor(cfg.samSize());
        this.tokenizer = HuggingFaceTokenizer.newInstance(dir.resolve("tokenizer.json"),
                Map.of("addSpecialTokens", "true", "truncation", "false", "padding", "false", "maxLength", "8192"));
        List<AutoCloseable> loaded = new ArrayList<>();
        try {
            this.bosId = tokenId(cfg.bosToken());
            this.eosId = tokenId(cfg.eosToken());
            this.segId = tokenId(cfg.segToken());
            checkPromptIds();
            globalEncoder = load(dir, "global_encoder", loaded);
            groundingEncoder = load(dir, "grounding_encoder", loaded);
            pixelDecoder = load(dir, "pixel_decoder", loaded);
            embedTokens = load(dir, "embed_tokens", loaded);
            languageModel = load(dir, "language_model", loaded);
            promptDecoder = java.nio.file.Files.exists(dir.resolve("prompt_decoder.pt"))
                    ? load(dir, "prompt_decoder", loaded) : null;
            selfCheck();
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
        log.info("GLaMM loaded from {}: dtype {}, traced on {}, running on {}", dir, cfg.dtype(), cfg.exportDevice(),
                DeviceSelection.torchName(device));
    }

    /** Loads on the given device; see {@link #device(String)}. */
    public static GlammModel load(Path modelDir, Device device)
            throws IOException, ModelNotFoundException, MalformedModelException {
        return new GlammModel(modelDir, device);
    }

    /** The first GPU when the engine sees one, else the CPU (logged as a warning). */
    public static Device defaultDevice() {
        return DeviceSelection.resolve("auto");
    }

    /**
     * The device for a {@code GLAMM_DEVICE} value: {@code auto} (GPU 0 when the engine sees one, else CPU, with a
     * warning), {@code cpu}, {@code gpu}/{@code cuda} or {@code gpu:N}/{@code cuda:N}; a GPU the engine does not see
     * is an error. The build ships the CPU native library only; see the module README for GPU.
     */
    public static Device device(String spec) {
        return DeviceSelection.resolve(spec);
    }

    /** Traced parts hard-code the device they were traced on: refuse any other one, before loading anything. */
    static void checkDevice(Path dir, GlammConfig cfg, Device device) {
        String here = DeviceSelection.torchName(device);
        if (!cfg.exportDevice().equals(here)) {
            throw new IllegalStateException(dir + " was exported (traced) on " + cfg.exportDevice()
                    + " (glamm.json \"device\") but this worker runs on " + here + ": traced TorchScript hard-codes "
                    + "its export device, so the parts fail or run on the wrong device elsewhere. Export again with "
                    + "export_glamm.py --device " + here + ", or run the worker with GLAMM_DEVICE="
                    + (cfg.exportDevice().startsWith("cuda") ? cfg.exportDevice() : "cpu"));
        }
    }

    private ZooModel<NDList, NDList> load(Path dir, String name, List<AutoCloseable> loaded)
            throws IOException, ModelNotFoundException, MalformedModelException {
        Criteria<NDList, NDList> criteria = Criteria.builder()
                .setTypes(NDList.class, NDList.class)
                .optModelPath(dir)
                .optModelName(name)
                .optEngine("PyTorch")
                .optDevice(device)
                .optTranslator(new NoopTranslator())
                .build();
        ZooModel<NDList, NDList> m = criteria.loadModel();
        loaded.add(m);
        return m;
    }

    private long tokenId(String text) {
        long[] ids = tokenizer.encode(text, false, false).getIds();
        if (ids.length != 1) {
            throw new IllegalStateException(dir.resolve("tokenizer.json") + ": token " + text
                    + " is not a single token: " + Arrays.toString(ids));
        }
        return ids[0];
    }

    /** DJL's tokenizers (0.21) must give the official slow tokenizer's prompt ids recorded at export. */
    private void checkPromptIds() {
        long[] mine = promptIds();
        long[] official = cfg.promptIds();
        if (Arrays.equals(mine, official)) {
            return;
        }
        int i = Arrays.mismatch(mine, official);
        throw new IllegalStateException(dir.resolve("tokenizer.json") + " does not reproduce the official prompt ids "
                + "of glamm.json \"prompt_ids\" (" + official.length + " ids, this tokenizer gives " + mine.length
                + "): first difference at position " + i + ": official " + idAt(official, i) + ", here "
                + idAt(mine, i) + ". The tokenizer would change every answer; re-export the tokenizer");
    }

    private String idAt(long[] ids, int i) {
        if (i >= ids.length) {
            return "(end)";
        }
        return ids[i] == IMAGE_TOKEN_INDEX ? "<image>" : ids[i] + " " + tokenizer.decode(new long[] {ids[i]}, false)
                .replace("\n", "\\n");
    }

    /**
     * One language-model step on the device: a part traced for another device, a cache dtype other than glamm.json's
     * or a part of the old one-image signature fails here, at startup, with the directory named.
     */
    private void selfCheck() {
        try (NDManager m = languageModel.getNDManager().newSubManager(device)) {
            ParameterStore ps = new ParameterStore(m, false);
            NDArray x = embedTokens.getBlock().forward(ps, new NDList(m.create(new long[] {bosId}, new Shape(1, 1))),
                    false).singletonOrThrow();
            // float32 zeros: the model casts a cache in another dtype (a copy), and returns it in its own
            NDArray cache = m.zeros(new Shape(cfg.numLayers(), 2, 1, cfg.numHeads(), 2, cfg.headDim()),
                    DataType.FLOAT32);
            NDList out = languageModel.getBlock().forward(ps, new NDList(x, cache, m.arange(0L, 1L, 1L,
                    DataType.INT64)), false);
            Shape logits = out.get(0).getShape();
            Shape hidden = out.get(1).getShape();
            if (out.size() != 3 || logits.dimension() != 2 || logits.get(0) != 1 || hidden.get(1) != cfg.hiddenSize()
                    || !isCacheType(out.get(2).getDataType()) || !out.get(2).getShape().equals(cache.getShape())) {
                throw new IllegalStateException(dir + ": language_model.pt answered " + out.getShapes().length
                        + " outputs " + Arrays.toString(out.getShapes()) + " with a " + out.get(2).getDataType()
                        + " cache; expected logits [1,V], hidden [1," + cfg.hiddenSize() + "] and the " + cacheType
                        + " cache " + cache.getShape() + " (glamm.json dtype " + cfg.dtype() + ")");
            }
            NDArray slot = out.get(2).get(":, :, :, :, 1:2, :");   // never written: still zero
            zeroSlot = slot.sub(slot);
            zeroSlot.attach(languageModel.getNDManager());
        } catch (ai.djl.engine.EngineException e) {
            throw new IllegalStateException(dir + ": language_model.pt failed its first step on "
                    + DeviceSelection.torchName(device) + " (exported on " + cfg.exportDevice() + ", dtype "
                    + cfg.dtype() + "): " + e.getMessage(), e);
        }
    }

    /** DJL 0.35.1's PyTorch engine reports torch.bfloat16 as UNKNOWN (and aborts when asked to make one). */
    private boolean isCacheType(DataType t) {
        return t == cacheType || (cacheType == DataType.BFLOAT16 && t == DataType.UNKNOWN);
    }

    /** A zero cache [L,2,B,H,S,Dh] in the export dtype, on the device, owned by {@code m}. */
    private NDArray newCache(NDManager m, int batch, long length) {
        NDArray rows = batch == 1 ? zeroSlot : zeroSlot.repeat(2, batch);
        NDArray c = rows.repeat(4, length);
        if (rows != zeroSlot) {
            rows.close();
        }
        c.attach(m);
        return c;
    }

    /**
     * Click-to-segment over this model's grounding encoder and prompt decoder (the same loaded weights), with its
     * own image-embedding cache of at most {@code cacheBytes}. The directory must have {@code prompt_decoder.pt}.
     */
    public InteractiveSegmenter interactive(long cacheBytes) {
        if (promptDecoder == null) {
            throw new IllegalStateException(dir + " has no prompt_decoder.pt (exported before interactive "
                    + "segmentation): export it again with export_glamm.py");
        }
        return new InteractiveSegmenter(this, cacheBytes);
    }

    public boolean hasPromptDecoder() {
        return promptDecoder != null;
    }

    NDManager newSubManager() {
        return languageModel.getNDManager().newSubManager(device);
    }

    ImagePreprocessor preprocessor() {
        return pre;
    }

    MaskPostprocessor postprocessor() {
        return post;
    }

    /** The grounding encoder (SAM's image encoder) on one preprocessed image: {@code [1,C,64,64]}, owned by m. */
    NDArray imageEmbedding(NDManager m, FloatTensor samInput) {
        return forward(groundingEncoder, new ParameterStore(m, false), NdTensors.toNd(m, samInput))
                .singletonOrThrow();
    }

    /** The prompt decoder: low-res masks {@code [1,3,256,256]} and their predicted IoU {@code [1,3]}. */
    NDList decodePrompt(NDManager m, NDArray embedding, FloatTensor points, FloatTensor labels, FloatTensor maskInput,
                        float hasMask) {
        return forward(promptDecoder, new ParameterStore(m, false), embedding, NdTensors.toNd(m, points),
                NdTensors.toNd(m, labels), NdTensors.toNd(m, maskInput),
                NdTensors.toNd(m, new FloatTensor(new float[] {hasMask}, new long[] {1})));
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
        return predictBatch(List.of(image), new int[] {maxNewTokens}).getFirst();
    }

    /** All images in one batch; the stage timings of each prediction are the batch's divided by its size. */
    public List<GlammPrediction> predictBatch(List<RgbImage> images) {
        int[] budgets = new int[images.size()];
        Arrays.fill(budgets, cfg.maxNewTokens());
        return predictBatch(images, budgets);
    }

    /** One batch with a token budget per image (a row leaves the batch at {@code </s>} or its budget). */
    public List<GlammPrediction> predictBatch(List<RgbImage> images, int[] maxNewTokens) {
        int b = images.size();
        if (b == 0) {
            return List.of();
        }
        if (maxNewTokens.length != b) {
            throw new IllegalArgumentException(b + " images but " + maxNewTokens.length + " token budgets");
        }
        StageTimings t = new StageTimings();
        long[] prompt = t.time("tokenize", this::promptIds);
        try (NDManager m = languageModel.getNDManager().newSubManager(device)) {
            ParameterStore ps = new ParameterStore(m, false);
            long c0 = System.nanoTime();
            FloatTensor clip = stack(images.stream().map(pre::clip).toList());
            t.add("clip_preprocess", System.nanoTime() - c0);
            long g0 = System.nanoTime();
            NDArray imageTokens = forward(globalEncoder, ps, NdTensors.toNd(m, clip)).singletonOrThrow();
            t.add("global_encoder", System.nanoTime() - g0);
            List<Decoded> decoded = decode(m, ps, prompt, imageTokens, maxNewTokens, t);
            List<String> raw = new ArrayList<>();
            List<GlammOutputParser.Parsed> parsed = new ArrayList<>();
            for (Decoded d : decoded) {
                String text = t.time("detokenize", () -> decode(d.ids()));
                raw.add(text);
                parsed.add(t.time("parse", () -> GlammOutputParser.parse(text)));
            }
            List<List<GlammPrediction.Mask>> masks = masks(m, ps, images, decoded, t);
            Map<String, Double> perImage = new LinkedHashMap<>();
            t.millis().forEach((k, v) -> perImage.put(k, v / b));
            List<GlammPrediction> out = new ArrayList<>();
            for (int i = 0; i < b; i++) {
                out.add(new GlammPrediction(parsed.get(i).caption(), parsed.get(i).phrases(), masks.get(i), raw.get(i),
                        decoded.get(i).ids().length, Map.copyOf(perImage)));
            }
            return out;
        }
    }

    private static FloatTensor stack(List<FloatTensor> ts) {
        FloatTensor first = ts.getFirst();
        int n = first.data().length;
        float[] all = new float[n * ts.size()];
        for (int i = 0; i < ts.size(); i++) {
            System.arraycopy(ts.get(i).data(), 0, all, i * n, n);
        }
        long[] shape = first.shape().clone();
        shape[0] = ts.size();
        return new FloatTensor(all, shape);
    }

    private NDList forward(ZooModel<NDList, NDList> part, ParameterStore ps, NDArray... inputs) {
        try {
            return part.getBlock().forward(ps, new NDList(inputs), false);
        } catch (RuntimeException e) {
            throw new IllegalStateException("GLaMM part " + part.getName() + " of " + dir + " failed on "
                    + Arrays.toString(new NDList(inputs).getShapes()) + ": " + e.getMessage(), e);
        }
    }

    /**
     * Grounding encoder over the images that produced a [SEG] (one call), then the pixel decoder over all [SEG]s
     * at once, with each [SEG]'s image embedding gathered on the device; post-processing per mask.
     */
    private List<List<GlammPrediction.Mask>> masks(NDManager m, ParameterStore ps, List<RgbImage> images,
                                                   List<Decoded> decoded, StageTimings t) {
        List<List<GlammPrediction.Mask>> out = new ArrayList<>();
        List<Integer> withSeg = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            out.add(new ArrayList<>());
            if (!decoded.get(i).segHidden().isEmpty()) {
                withSeg.add(i);
            }
        }
        if (withSeg.isEmpty()) {
            return out;
        }
        long s0 = System.nanoTime();
        List<ImagePreprocessor.SamInput> sam = withSeg.stream().map(i -> pre.sam(images.get(i))).toList();
        FloatTensor samBatch = stack(sam.stream().map(ImagePreprocessor.SamInput::tensor).toList());
        t.add("sam_preprocess", System.nanoTime() - s0);
        long g0 = System.nanoTime();
        NDArray emb = forward(groundingEncoder, ps, NdTensors.toNd(m, samBatch)).singletonOrThrow();
        t.add("grounding_encoder", System.nanoTime() - g0);
        int hid = cfg.hiddenSize();
        int n = withSeg.stream().mapToInt(i -> decoded.get(i).segHidden().size()).sum();
        float[] seg = new float[n * hid];
        long[] owner = new long[n];
        int k = 0;
        for (int j = 0; j < withSeg.size(); j++) {
            for (float[] h : decoded.get(withSeg.get(j)).segHidden()) {
                System.arraycopy(h, 0, seg, k * hid, hid);
                owner[k++] = j;
            }
        }
        long p0 = System.nanoTime();
        NDArray perSeg = emb.get(m.create(owner));
        FloatTensor low = NdTensors.fromNd(forward(pixelDecoder, ps,
                NdTensors.toNd(m, new FloatTensor(seg, new long[] {n, hid})), perSeg).get(0));
        t.add("pixel_decoder", System.nanoTime() - p0);
        int lh = (int) low.shape()[2];
        int lw = (int) low.shape()[3];
        long r0 = System.nanoTime();
        k = 0;
        for (int j = 0; j < withSeg.size(); j++) {
            RgbImage image = images.get(withSeg.get(j));
            ImagePreprocessor.SamInput in = sam.get(j);
            for (int s = 0; s < decoded.get(withSeg.get(j)).segHidden().size(); s++, k++) {
                float[] one = Arrays.copyOfRange(low.data(), k * lh * lw, (k + 1) * lh * lw);
                out.get(withSeg.get(j)).add(post.toMask(one, lh, lw, in.resizedHeight(), in.resizedWidth(),
                        image.height(), image.width()));
            }
        }
        t.add("mask_postprocess_rle", System.nanoTime() - r0);
        return out;
    }

    /** Generated ids (up to and including {@code </s>}) and the hidden state of each step that produced [SEG]. */
    public record Decoded(long[] ids, List<float[]> segHidden) {}

    /**
     * Greedy decoding of a batch with a preallocated KV cache on the device ({@code [L,2,B,H,S_max,Dh]} in the
     * export dtype, written in place by the language model): the first step feeds the whole prompt (image tokens
     * spliced in through {@code embed_tokens}), each later step one token per row. A row stops at {@code </s>} or
     * its budget; when rows stop, the cache keeps only the others (one copy, at most once per row).
     */
    private List<Decoded> decode(NDManager m, ParameterStore ps, long[] promptIds, NDArray imageTokens,
                                 int[] budgets, StageTimings t) {
        Block lm = languageModel.getBlock();
        Block embed = embedTokens.getBlock();
        int b = budgets.length;
        long p0 = System.nanoTime();
        NDArray x = promptEmbeddings(m, ps, embed, promptIds, imageTokens);
        long promptLen = x.getShape().get(1);
        int maxBudget = Arrays.stream(budgets).max().orElse(0);
        NDArray cache = newCache(m, b, promptLen + maxBudget);
        t.add("prompt_embed", System.nanoTime() - p0);
        List<List<Long>> ids = new ArrayList<>();
        List<List<float[]>> seg = new ArrayList<>();
        for (int i = 0; i < b; i++) {
            ids.add(new ArrayList<>());
            seg.add(new ArrayList<>());
        }
        int[] rows = java.util.stream.IntStream.range(0, b).toArray();   // batch row -> image
        long pos = 0;
        boolean first = true;
        while (rows.length > 0 && maxBudget > 0) {
            long s0 = System.nanoTime();
            long len = x.getShape().get(1);
            NDArray positions = m.arange(pos, pos + len, 1L, DataType.INT64);
            NDList res = lm.forward(ps, new NDList(x, cache, positions), false);
            pos += len;
            long[] next = res.get(0).argMax(-1).toLongArray();
            float[] hidden = null;
            int[] keep = new int[rows.length];
            int kept = 0;
            for (int r = 0; r < rows.length; r++) {
                int img = rows[r];
                ids.get(img).add(next[r]);
                if (next[r] == segId) {
                    if (hidden == null) {
                        hidden = NdTensors.fromNd(res.get(1)).data();
                    }
                    seg.get(img).add(Arrays.copyOfRange(hidden, r * cfg.hiddenSize(), (r + 1) * cfg.hiddenSize()));
                }
                if (next[r] != eosId && ids.get(img).size() < budgets[img]) {
                    keep[kept++] = r;
                }
            }
            NDArray written = res.get(2);
            res.get(0).close();
            res.get(1).close();
            positions.close();
            x.close();
            if (written != cache) {
                cache.close();
            }
            cache = written;
            if (kept == 0) {
                t.add(first ? "prefill" : "decode_steps", System.nanoTime() - s0);
                break;
            }
            long[] nextIds = new long[kept];
            if (kept < rows.length) {
                long[] keepIdx = new long[kept];
                int[] newRows = new int[kept];
                for (int i = 0; i < kept; i++) {
                    keepIdx[i] = keep[i];
                    newRows[i] = rows[keep[i]];
                    nextIds[i] = next[keep[i]];
                }
                NDArray compact = cache.get(new NDIndex(":, :, {}", m.create(keepIdx)));
                cache.close();
                cache = compact;
                rows = newRows;
            } else {
                for (int i = 0; i < kept; i++) {
                    nextIds[i] = next[i];
                }
            }
            t.add(first ? "prefill" : "decode_steps", System.nanoTime() - s0);
            first = false;
            long e0 = System.nanoTime();
            x = embed.forward(ps, new NDList(m.create(nextIds, new Shape(kept, 1))), false).singletonOrThrow();
            t.add("decode_steps", System.nanoTime() - e0);
        }
        cache.close();
        List<Decoded> out = new ArrayList<>();
        for (int i = 0; i < b; i++) {
            out.add(new Decoded(ids.get(i).stream().mapToLong(Long::longValue).toArray(), List.copyOf(seg.get(i))));
        }
        return out;
    }

    /** [B,T,D]: the prompt's text chunks embedded once and repeated over the batch, the image tokens spliced in. */
    private NDArray promptEmbeddings(NDManager m, ParameterStore ps, Block embed, long[] ids, NDArray image) {
        long b = image.getShape().get(0);
        NDList parts = new NDList();
        int start = 0;
        for (int i = 0; i <= ids.length; i++) {
            if (i == ids.length || ids[i] == IMAGE_TOKEN_INDEX) {
                if (i > start) {
                    long[] chunk = Arrays.copyOfRange(ids, start, i);
                    NDArray e = embed.forward(ps, new NDList(m.create(chunk, new Shape(1, chunk.length))), false)
                            .singletonOrThrow();
                    parts.add(b == 1 ? e : e.repeat(0, b));
                }
                if (i < ids.length) {
                    parts.add(image);
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
