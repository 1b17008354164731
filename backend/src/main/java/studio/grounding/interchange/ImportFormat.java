package studio.grounding.interchange;

/** The files the platform imports. */
public enum ImportFormat {
    /** GranDf_HA / Open-PSG GCG JSON ({@code GranDf_HA_GCG_train.json}, {@code OpenPsgGCG_*.json}). */
    GRANDF,
    /** Flickr30k {@code flickr_mergedGT_GCG_*.json} (COCO style). */
    FLICKR,
    /** RefCOCOg GCG ({@code RefCOCOg_GCG_*.json}, polygons, no spans). */
    REFCOCOG,
    /** The val/test COCO GCG pair {@code *_gcg_coco_mask_gt.json} + {@code *_gcg_coco_caption_gt.json}. */
    COCO_GCG,
    /** GLaMM predictions: one {@code <image stem>.json} per image, imported as a model's pre-fill. */
    PREDICTIONS
}
