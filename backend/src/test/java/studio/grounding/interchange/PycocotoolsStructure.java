package studio.grounding.interchange;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import tools.jackson.databind.JsonNode;

/**
 * What pycocotools 2.0.x and GLaMM's {@code eval/gcg/evaluate.py} index in the COCO GCG ground truth pair, as a list
 * of the Python errors the files would raise (empty = loads and evaluates). Read from pycocotools' {@code coco.py}
 * ({@code COCO.createIndex}: {@code anns[ann['id']]}, {@code imgToAnns[ann['image_id']]}, {@code imgs[img['id']]},
 * {@code cats[cat['id']]}, {@code catToImgs[ann['category_id']]} when the file has categories; {@code annToRLE}:
 * {@code imgs[image_id]['height']/['width']}, {@code segmentation}), {@code cocoeval.py} ({@code iscrowd},
 * {@code area}) and evaluate.py ({@code images[].id}, the caption annotations' {@code caption} and {@code labels}).
 */
public final class PycocotoolsStructure {

    private PycocotoolsStructure() {
    }

    /** Errors {@code COCO(mask_gt)} + {@code COCOeval(..., "segm")} would raise on this file. */
    public static List<String> maskFileErrors(JsonNode root) {
        List<String> errors = new ArrayList<>();
        Set<String> images = imageIds(root, errors, true);
        Set<String> categories = new HashSet<>();
        JsonNode cats = root.get("categories");
        if (cats == null || !cats.isArray()) {
            errors.add("categories: missing (COCOeval with params.catIds = [1] finds nothing)");
        } else {
            for (int i = 0; i < cats.size(); i++) {
                JsonNode id = cats.get(i).get("id");
                if (id == null) {
                    errors.add("categories[" + i + "]: KeyError('id')");
                } else {
                    categories.add(id.asString());
                }
            }
            if (!categories.contains("1")) {
                errors.add("categories: no category with id 1 (evaluate.py evaluates catIds = [1])");
            }
        }
        annotations(root, errors, images, ann -> {
            List<String> e = new ArrayList<>();
            JsonNode cat = ann.get("category_id");
            if (cat == null) {
                e.add("KeyError('category_id')");
            } else if (!categories.contains(cat.asString())) {
                e.add("category_id " + cat.asString() + " is no category");
            }
            JsonNode seg = ann.get("segmentation");
            if (seg == null) {
                e.add("KeyError('segmentation')");
            } else if (!seg.isObject() || seg.get("size") == null || seg.get("counts") == null) {
                e.add("segmentation is not an RLE {size, counts}");
            }
            for (String key : List.of("area", "iscrowd")) {
                if (ann.get(key) == null) {
                    e.add("KeyError('" + key + "')");
                }
            }
            return e;
        });
        return errors;
    }

    /** Errors {@code COCO(caption_gt)}, {@code COCOEvalCap} and evaluate.py's recall would raise on this file. */
    public static List<String> captionFileErrors(JsonNode root) {
        List<String> errors = new ArrayList<>();
        Set<String> images = imageIds(root, errors, false);
        annotations(root, errors, images, ann -> {
            List<String> e = new ArrayList<>();
            if (ann.get("caption") == null || !ann.get("caption").isString()) {
                e.add("KeyError('caption')");
            }
            if (ann.get("labels") == null || !ann.get("labels").isArray()) {
                e.add("KeyError('labels')");
            }
            return e;
        });
        return errors;
    }

    private static Set<String> imageIds(JsonNode root, List<String> errors, boolean needsSize) {
        Set<String> ids = new HashSet<>();
        JsonNode images = root.get("images");
        if (images == null || !images.isArray()) {
            errors.add("images: KeyError('images') (evaluate.py reads contents['images'])");
            return ids;
        }
        for (int i = 0; i < images.size(); i++) {
            JsonNode img = images.get(i);
            JsonNode id = img.get("id");
            if (id == null) {
                errors.add("images[" + i + "]: KeyError('id')");
                continue;
            }
            if (!ids.add(id.asString())) {
                errors.add("images[" + i + "]: repeated id " + id.asString());
            }
            if (needsSize && (img.get("height") == null || img.get("width") == null)) {
                errors.add("images[" + i + "]: KeyError('height'/'width') in annToRLE");
            }
        }
        return ids;
    }

    private static void annotations(JsonNode root, List<String> errors, Set<String> images,
                                    java.util.function.Function<JsonNode, List<String>> more) {
        JsonNode anns = root.get("annotations");
        if (anns == null || !anns.isArray()) {
            errors.add("annotations: missing");
            return;
        }
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < anns.size(); i++) {
            JsonNode ann = anns.get(i);
            String at = "annotations[" + i + "]: ";
            JsonNode id = ann.get("id");
            if (id == null) {
                errors.add(at + "KeyError('id')");
            } else if (!ids.add(id.asString())) {
                errors.add(at + "repeated id " + id.asString() + " (COCO() keeps only the last one)");
            }
            JsonNode imageId = ann.get("image_id");
            if (imageId == null) {
                errors.add(at + "KeyError('image_id')");
            } else if (!images.contains(imageId.asString())) {
                errors.add(at + "image_id " + imageId.asString() + " is not in images");
            }
            more.apply(ann).forEach(e -> errors.add(at + e));
        }
    }
}
