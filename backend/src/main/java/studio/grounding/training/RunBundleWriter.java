package studio.grounding.training;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.stereotype.Component;
import studio.grounding.dataset.DatasetService;
import studio.grounding.dataset.ImageStore;
import studio.grounding.dataset.ItemInfo;
import studio.grounding.dataset.Split;
import studio.grounding.snapshot.SnapshotEntry;
import studio.grounding.snapshot.SnapshotInfo;
import studio.grounding.snapshot.SnapshotService;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes a run bundle: the snapshot in GLaMM's data layout (train split as GranD_f HA JSON, val/test as the COCO GCG
 * pairs, the images hard-linked from the image store), {@code manifest.json} and {@code train.sh}.
 */
@Component
class RunBundleWriter {

    private static final int PAGE = 500;

    private final SnapshotService snapshots;
    private final DatasetService datasets;
    private final ImageStore images;
    private final JsonMapper json = JsonMapper.builder().build();

    RunBundleWriter(SnapshotService snapshots, DatasetService datasets, ImageStore images) {
        this.snapshots = snapshots;
        this.datasets = datasets;
        this.images = images;
    }

    /** What a bundle is written from. */
    record Plan(long runId, SnapshotInfo snapshot, String baseModel, long baseModelId, String baseCheckpoint,
                Launcher launcher, Hyperparameters hyperparameters, String createdBy, Instant createdAt) {
    }

    void write(RunBundle bundle, Plan plan) throws IOException {
        Files.createDirectories(bundle.dir().resolve("logs"));
        Files.createDirectories(bundle.output());
        Files.createDirectories(bundle.trainAnnotations().getParent());
        try (OutputStream out = Files.newOutputStream(bundle.trainAnnotations())) {
            snapshots.exportGrandf(plan.snapshot().id(), Set.of(Split.TRAIN), out);
        }
        try (OutputStream out = Files.newOutputStream(bundle.valAnnotations())) {
            snapshots.exportGrandf(plan.snapshot().id(), Set.of(Split.VAL), out);
        }
        snapshots.exportCocoGcg(plan.snapshot().id(), EnumSet.of(Split.VAL, Split.TEST), bundle.valTest());
        linkImages(bundle, snapshots.entries(plan.snapshot().id(), null));
        json.writerWithDefaultPrettyPrinter().writeValue(bundle.manifest().toFile(), manifest(bundle, plan));
        Files.writeString(bundle.trainScript(), trainScript(plan));
        bundle.trainScript().toFile().setExecutable(true);
    }

    private void linkImages(RunBundle bundle, List<SnapshotEntry> entries) throws IOException {
        for (int from = 0; from < entries.size(); from += PAGE) {
            List<SnapshotEntry> page = entries.subList(from, Math.min(entries.size(), from + PAGE));
            Map<Long, ItemInfo> items = new LinkedHashMap<>();
            datasets.items(page.stream().map(SnapshotEntry::itemId).toList()).forEach(i -> items.put(i.id(), i));
            for (SnapshotEntry entry : page) {
                ItemInfo item = items.get(entry.itemId());
                Path source = images.find(item.image().contentHash())
                        .orElseThrow(() -> new IllegalStateException("Image " + entry.fileName() + " is missing from the image store"));
                link(source, bundle.images(entry.split() == Split.TRAIN ? "train" : "val_test"), entry.fileName());
                if (entry.split() == Split.VAL) {
                    link(source, bundle.psgImages(), entry.fileName());
                }
            }
        }
    }

    private static void link(Path source, Path dir, String fileName) throws IOException {
        Files.createDirectories(dir);
        Path target = dir.resolve(fileName).normalize();
        if (!target.startsWith(dir)) {
            throw new IllegalStateException("Image file name " + fileName + " leaves the bundle");
        }
        try {
            Files.createLink(target, source);
        } catch (FileAlreadyExistsException e) {
            // written by an earlier attempt: same content-addressed file
        } catch (IOException | UnsupportedOperationException e) {
            Files.copy(source, target);
        }
    }

    private Map<String, Object> manifest(RunBundle bundle, Plan plan) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("run_id", plan.runId());
        m.put("created_at", plan.createdAt().toString());
        m.put("created_by", plan.createdBy());
        m.put("launcher", plan.launcher().name());
        m.put("base_model", Map.of("id", plan.baseModelId(), "name", plan.baseModel(),
                "checkpoint", plan.baseCheckpoint()));
        SnapshotInfo s = plan.snapshot();
        m.put("snapshot", Map.of("dataset", s.dataset(), "number", s.number(), "content_hash", s.contentHash(),
                "items", s.items(), "items_per_split", Map.of("train", s.itemsPerSplit().get(Split.TRAIN),
                        "val", s.itemsPerSplit().get(Split.VAL), "test", s.itemsPerSplit().get(Split.TEST))));
        m.put("hyperparameters", new java.util.TreeMap<>(plan.hyperparameters().values()));
        m.put("dataset_dir", "data/");
        m.put("command", "sh train.sh");
        m.put("output_model_dir", "output/model");
        return m;
    }

    /** GLaMM's GCG finetuning command on this snapshot, then the LoRA merge and the export the worker loads. */
    static String trainScript(Plan plan) {
        long id = plan.runId();
        return """
                #!/bin/sh
                # Grounding Studio finetuning run #%1$d: GLaMM on snapshot %2$d of dataset "%3$s" (%4$s),
                # base model version "%5$s". Generated by the platform; run it where GLaMM's environment and GPUs are:
                #   GLAMM_REPO      a checkout of github.com/mbzuai-oryx/groundingLMM with its Python environment
                #   BASE_MODEL      the base checkpoint (HF directory or hub id), default %6$s
                #   SAM_CHECKPOINT  SAM ViT-H weights, default $GLAMM_REPO/checkpoints/sam_vit_h_4b8939.pth
                #   STUDIO_EXPORT   grounding-studio/inference-worker/export (export_glamm.py)
                set -eu
                BUNDLE="$(cd "$(dirname "$0")" && pwd)"
                GLAMM_REPO="${GLAMM_REPO:-/opt/groundingLMM}"
                BASE_MODEL="${BASE_MODEL:-%6$s}"
                SAM_CHECKPOINT="${SAM_CHECKPOINT:-$GLAMM_REPO/checkpoints/sam_vit_h_4b8939.pth}"
                STUDIO_EXPORT="${STUDIO_EXPORT:-/opt/grounding-studio/inference-worker/export}"
                MASTER_PORT="${MASTER_PORT:-29500}"
                progress() { printf '{"message": "%%s"}\\n' "$1" > "$BUNDLE/progress.json"; }

                cd "$GLAMM_REPO"
                progress "training"
                deepspeed --num_gpus %7$d --master_port "$MASTER_PORT" train.py \\
                  --version "$BASE_MODEL" \\
                  --dataset_dir "$BUNDLE/data/" \\
                  --vision_pretrained "$SAM_CHECKPOINT" \\
                  --exp_name 'run-%1$d' \\
                  --log_base_dir "$BUNDLE/output" \\
                  --pretrained \\
                  --use_segm_data \\
                  --seg_dataset 'GranDf_GCG' \\
                  --segm_sample_rates '1' \\
                  --mask_validation%8$s

                # DeepSpeed ZeRO checkpoint -> fp32 weights -> LoRA merged into the base -> the worker's model directory
                progress "merging LoRA weights"
                CKPT="$BUNDLE/output/run-%1$d/ckpt_model_best"
                python "$CKPT/zero_to_fp32.py" "$CKPT" "$BUNDLE/output/pytorch_model.bin"
                python scripts/merge_lora_weights.py --version "$BASE_MODEL" \\
                  --weight "$BUNDLE/output/pytorch_model.bin" --save_path "$BUNDLE/output/merged"
                progress "exporting the model directory"
                python "$STUDIO_EXPORT/export_glamm.py" --glamm-repo "$GLAMM_REPO" --checkpoint "$BUNDLE/output/merged" \\
                  --dtype bfloat16 --device cuda "$BUNDLE/output/model"
                progress "done"
                """.formatted(id, plan.snapshot().number(), plan.snapshot().dataset().replaceAll("[\\r\\n\"]", " "), plan.snapshot().contentHash(),
                plan.baseModel().replaceAll("[\\r\\n]", " "), plan.baseCheckpoint(), plan.hyperparameters().gpus(),
                plan.hyperparameters().trainOptions());
    }

    static void writeString(Path file, String text) {
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
