package studio.grounding.training;

import java.nio.file.Path;

/** The files of a run bundle directory ({@code <data dir>/training/runs/<id>}). */
record RunBundle(Path dir) {

    Path data() {
        return dir.resolve("data");
    }

    /** GLaMM's GranD_f training annotations under {@code --dataset_dir} (what its GranDf_GCG dataset reads). */
    Path trainAnnotations() {
        return data().resolve("GranDf/annotations/train/GranDf_HA_GCG_train.json");
    }

    /**
     * The snapshot's val split in the Open-PSG GCG format (the same record format as GranD_f HA), where GLaMM's
     * {@code PsgGCGVal} validation dataset reads it, with its images under {@link #psgImages()}.
     */
    Path valAnnotations() {
        return data().resolve("GranDf/annotations/train/OpenPsgGCG_val.json");
    }

    Path psgImages() {
        return data().resolve("coco_2017/train2017");
    }

    /** The COCO GCG val/test pairs, laid out as in GLaMM's data directory. */
    Path valTest() {
        return data().resolve("GranDf/annotations/val_test");
    }

    Path images(String split) {
        return data().resolve("GranDf_HA_images").resolve(split);
    }

    Path manifest() {
        return dir.resolve("manifest.json");
    }

    Path trainScript() {
        return dir.resolve("train.sh");
    }

    Path stdout() {
        return dir.resolve("logs/stdout.log");
    }

    Path stderr() {
        return dir.resolve("logs/stderr.log");
    }

    Path progress() {
        return dir.resolve("progress.json");
    }

    /** Written by the cluster job scripts when train.sh ends (the platform cannot wait on a cluster job). */
    Path exitCode() {
        return dir.resolve("exit-code");
    }

    Path output() {
        return dir.resolve("output");
    }

    /** Where a run must leave the worker's model directory; {@code glamm.json} there marks it complete. */
    Path model() {
        return output().resolve("model");
    }

    Path kubernetesJob() {
        return dir.resolve("job.yaml");
    }

    Path slurmScript() {
        return dir.resolve("job.sbatch");
    }
}
