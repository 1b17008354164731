package studio.grounding.interchange;

/** The files the platform exports. */
public enum ExportFormat {
    /** GranD_f HA-style JSON: what GLaMM's GCG training loader reads. */
    GRANDF,
    /** The COCO GCG ground-truth pair per split: what GLaMM's {@code eval/gcg/evaluate.py} reads. */
    COCO_GCG,
    /** One JSON object per line, lossless, with the platform's metadata (status, revision, origin). */
    JSONL
}
