package studio.grounding.evaluation;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import studio.grounding.mask.Rle;

/**
 * AP at IoU 0.5 ({@code stats[1]}) of pycocotools' {@code COCOeval(gt, dt, "segm")} as GLaMM's script runs it: one
 * category (id 1), every prediction with score 1.0, iscrowd 0, area range "all", maxDets 100.
 *
 * <ul>
 *   <li>Images are taken in COCOeval's order, {@code sorted(unique(imgIds))}: numerically when every image id is an
 *       integer (COCO files hold integer ids), else by code point (string ids).</li>
 *   <li>With equal scores, the stable sorts ({@code kind='mergesort'}) keep that order: detections rank by image,
 *       then by their order in the image's prediction. Only the first 100 detections of an image count.</li>
 *   <li>Per image, each detection in order takes the still-unmatched GT with IoU &ge; 0.5 and the highest IoU; on
 *       equal IoUs the <em>last</em> such GT (COCOeval replaces its candidate unless the IoU is smaller).</li>
 *   <li>Images with neither GT nor detections are skipped; detections of images without GT are false positives.</li>
 *   <li>Precision {@code tp/(tp+fp+eps)} with {@code eps = np.spacing(1)}, made monotone from the right, sampled at
 *       the 101 recall thresholds {@code i*0.01} (the last exactly 1.0) with {@code searchsorted(side='left')};
 *       thresholds beyond the reached recall give 0. AP = mean of the 101 samples.</li>
 *   <li>IoU is pycocotools' {@code maskUtils.iou}: 0 for two empty masks, -1 for masks of different sizes (never a
 *       match).</li>
 *   <li>No GT in the whole split (or nothing to evaluate): -1, as COCOeval reports.</li>
 * </ul>
 */
public final class Ap50 {

    static final int MAX_DETS = 100;
    static final double IOU_THRESHOLD = 0.5;
    /** {@code np.spacing(1)}. */
    static final double EPS = Math.ulp(1.0);

    private Ap50() {
    }

    /** AP50 of a split, or -1 when COCOeval has no ground truth to score against. */
    public static double compute(List<GcgSample> samples) {
        List<GcgSample> ordered = new ArrayList<>(samples);
        ordered.sort(imageOrder(samples));
        List<Boolean> matches = new ArrayList<>(); // detections in rank order: true = TP
        long npig = 0;
        boolean any = false;
        for (GcgSample s : ordered) {
            List<Rle> gt = s.gtMasks();
            List<Rle> dt = s.predMasks().size() > MAX_DETS ? s.predMasks().subList(0, MAX_DETS) : s.predMasks();
            if (gt.isEmpty() && dt.isEmpty()) {
                continue; // evaluateImg returns None
            }
            any = true;
            npig += gt.size();
            if (dt.isEmpty()) {
                continue;
            }
            if (gt.isEmpty()) {
                dt.forEach(d -> matches.add(false));
                continue;
            }
            double[][] ious = new double[dt.size()][gt.size()]; // [dt][gt], pycocotools' iou (-1 across sizes)
            for (int d = 0; d < dt.size(); d++) {
                for (int g = 0; g < gt.size(); g++) {
                    ious[d][g] = ScriptIou.coco(dt.get(d), gt.get(g));
                }
            }
            boolean[] gtMatched = new boolean[gt.size()];
            for (int d = 0; d < dt.size(); d++) {
                double iou = Math.min(IOU_THRESHOLD, 1 - 1e-10);
                int m = -1;
                for (int g = 0; g < gt.size(); g++) {
                    if (gtMatched[g]) {
                        continue;
                    }
                    if (ious[d][g] < iou) {
                        continue;
                    }
                    iou = ious[d][g];
                    m = g;
                }
                if (m >= 0) {
                    gtMatched[m] = true;
                }
                matches.add(m >= 0);
            }
        }
        if (!any || npig == 0) {
            return -1.0;
        }
        return interpolatedAp(matches, npig);
    }

    /** 101-point interpolated AP of ranked detections (true = TP) against {@code npig} GT. */
    static double interpolatedAp(List<Boolean> ranked, long npig) {
        int nd = ranked.size();
        double[] rc = new double[nd];
        double[] pr = new double[nd];
        double tp = 0;
        double fp = 0;
        for (int i = 0; i < nd; i++) {
            if (ranked.get(i)) {
                tp++;
            } else {
                fp++;
            }
            rc[i] = tp / npig;
            pr[i] = tp / (fp + tp + EPS);
        }
        for (int i = nd - 1; i > 0; i--) {
            if (pr[i] > pr[i - 1]) {
                pr[i - 1] = pr[i];
            }
        }
        double sum = 0;
        int pi = 0;
        for (int r = 0; r <= 100; r++) {
            double thr = r == 100 ? 1.0 : r * 0.01; // np.linspace(0, 1, 101)
            while (pi < nd && rc[pi] < thr) {
                pi++;
            }
            if (pi >= nd) {
                break; // COCOeval's try/except: the remaining precisions stay 0
            }
            sum += pr[pi];
        }
        return sum / 101;
    }

    static Comparator<GcgSample> imageOrder(List<GcgSample> samples) {
        boolean numeric = samples.stream().allMatch(s -> s.imageId().matches("-?\\d{1,18}"));
        if (numeric) {
            return Comparator.comparingLong(s -> Long.parseLong(s.imageId()));
        }
        return (a, b) -> compareCodePoints(a.imageId(), b.imageId());
    }

    static int compareCodePoints(String a, String b) {
        int[] x = a.codePoints().toArray();
        int[] y = b.codePoints().toArray();
        return java.util.Arrays.compare(x, y);
    }
}
