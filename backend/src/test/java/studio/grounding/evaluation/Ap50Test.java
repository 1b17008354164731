package studio.grounding.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static studio.grounding.evaluation.Masks.m;
import static studio.grounding.evaluation.Masks.sample;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import studio.grounding.mask.Rle;

class Ap50Test {

    private static final double EPS = Math.ulp(1.0); // np.spacing(1)

    // image with G_a = px 0-4, G_b = px 10-14; d1 = px 0-3 (IoU with G_a 4/5 = 0.8), d2 = px 0-2 (IoU G_a 3/5 = 0.6,
    // G_b 0): d1 takes G_a, d2 finds G_a taken and G_b below 0.5 -> FP
    private static GcgSample twoGt(String id) {
        return sample(id, List.of("a", "b"), List.of(m("11111000000000000000"), m("00000000001111100000")),
                List.of("a", "b"), List.of(m("11110000000000000000"), m("11100000000000000000")));
    }

    // image with G_c = px 0-3; d3 = px 1-9 (IoU 3/10 = 0.3 -> FP), d4 = px 0-1 (IoU 2/4 = 0.5 -> TP, >= threshold)
    private static GcgSample oneGt(String id) {
        return sample(id, List.of("c"), List.of(m("11110000000000000000")),
                List.of("c", "d"), List.of(m("01111111110000000000"), m("11000000000000000000")));
    }

    @Test
    void twoImagesThreeGtFourDetections() {
        // order (image "1" before "2"): d1 TP, d2 FP, d3 FP, d4 TP; npig = 3
        // rc = [1/3, 1/3, 1/3, 2/3]; pr = [1/(1+eps), 1/(2+eps), 1/(3+eps), 2/(4+eps)]
        // monotone from the right: [1/(1+eps), 2/(4+eps), 2/(4+eps), 2/(4+eps)]
        // recThrs 0.00..0.33 (34 values, <= 1/3) -> index 0; 0.34..0.66 (33 values) -> index 3; 0.67..1 -> 0
        // AP = (34 / (1+eps) + 33 * 2/(4+eps)) / 101 = (34 + 16.5) / 101 = 0.5 (up to eps)
        double ap = Ap50.compute(List.of(oneGt("2"), twoGt("1")));
        assertEquals((34 / (1 + EPS) + 33 * (2 / (4 + EPS))) / 101, ap, 1e-15);
        assertEquals(0.5, ap, 1e-12);
    }

    @Test
    void imageOrderDecidesTheRankingOfEqualScores() {
        // ids "9" and "10" are integers: COCOeval sorts them numerically, "9" first:
        // d3 FP, d4 TP, d1 TP, d2 FP; rc = [0, 1/3, 2/3, 2/3]; pr = [0, 1/(2+eps), 2/(3+eps), 2/(4+eps)]
        // monotone: [2/(3+eps)] * 3 + [2/(4+eps)]; thresholds 0..0.66 (67 values) hit indices 0..2 -> 2/(3+eps);
        // 0.67.. beyond 2/3 -> 0. AP = 67 * 2/(3+eps) / 101 = 0.44224...
        double ap = Ap50.compute(List.of(twoGt("10"), oneGt("9")));
        assertEquals(67 * (2 / (3 + EPS)) / 101, ap, 1e-15);
        // string ids sort by code point: "img10" < "img9" -> the order of the first test -> 0.5
        assertEquals(0.5, Ap50.compute(List.of(oneGt("img9"), twoGt("img10"))), 1e-12);
    }

    @Test
    void equalIousGoToTheLastGroundTruth() {
        // G0 = px 0-4, G1 = px 3-7; d1 = px 2-5: IoU(G0) = 3/6 = 0.5, IoU(G1) = 3/6 = 0.5 -> COCOeval keeps the
        // later candidate G1; d2 = px 0-2: IoU(G0) = 3/5 -> TP. 2 TP / 2 GT: pr [1/(1+eps), 2/(2+eps)], rc [.5, 1]
        // AP = (51 / (1+eps) + 50 * 2/(2+eps)) / 101 ~ 1. Taking the first tie (G0) would make d2 a FP: 51/101.
        GcgSample s = sample("1", List.of("a", "b"), List.of(m("1111100000"), m("0001111100")),
                List.of("a", "b"), List.of(m("0011110000"), m("1110000000")));
        assertEquals((51 / (1 + EPS) + 50 * (2 / (2 + EPS))) / 101, Ap50.compute(List.of(s)), 1e-15);
    }

    @Test
    void edgeCases() {
        Rle g = m("0110");
        GcgSample nothing = sample("1", List.of(), List.of(), List.of(), List.of());
        GcgSample perfect = sample("2", List.of("x"), List.of(g), List.of("x"), List.of(g));
        GcgSample onlyDetections = sample("3", List.of(), List.of(), List.of("x"), List.of(g));
        GcgSample onlyGt = sample("4", List.of("x"), List.of(g), List.of(), List.of());
        // no GT and no detections anywhere: nothing to evaluate -> -1
        assertEquals(-1.0, Ap50.compute(List.of(nothing)));
        // detections but no GT in the split: npig = 0 -> -1
        assertEquals(-1.0, Ap50.compute(List.of(onlyDetections)));
        // an image with neither is ignored: 1 TP of 1 -> every threshold 1/(1+eps)
        assertEquals(1 / (1 + EPS), Ap50.compute(List.of(perfect, nothing)), 1e-15);
        // detections of an image without GT are false positives: TP (image 2) then FP (image 3):
        // rc [1, 1], pr [1/(1+eps), 1/(2+eps)] -> monotone keeps index 0 for all 101 thresholds -> 1/(1+eps)
        assertEquals(1 / (1 + EPS), Ap50.compute(List.of(onlyDetections, perfect)), 1e-15);
        // FP ranked first (image "0" before "2"): pr [0, 1/(2+eps)] -> monotone [1/(2+eps)]*2 -> 1/(2+eps)
        GcgSample fpFirst = sample("0", List.of(), List.of(), List.of("x"), List.of(g));
        assertEquals(1 / (2 + EPS), Ap50.compute(List.of(fpFirst, perfect)), 1e-15);
        // an unmatched GT halves the reachable recall: rc [1/2] -> thresholds 0..0.5 (51) -> 51/(1+eps)/101
        assertEquals(51 / (1 + EPS) / 101, Ap50.compute(List.of(perfect, onlyGt)), 1e-15);
    }

    @Test
    void onlyTheFirstHundredDetectionsOfAnImageCount() {
        // 100 empty detections (IoU 0 -> FP) then the perfect one, 101st -> ignored -> no TP -> AP 0
        Rle g = m("0110");
        List<Rle> dets = new ArrayList<>();
        List<String> phrases = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            dets.add(m("0000"));
            phrases.add("x");
        }
        dets.add(g);
        phrases.add("x");
        assertEquals(0.0, Ap50.compute(List.of(sample("1", List.of("x"), List.of(g), phrases, dets))));
        // with 99 empty ones the perfect detection is the 100th: rc reaches 1 at index 99 with pr 1/(100+eps),
        // monotone makes every threshold 1/(100+eps)
        dets.removeFirst();
        phrases.removeFirst();
        assertEquals(1 / (100 + EPS), Ap50.compute(List.of(sample("1", List.of("x"), List.of(g), phrases, dets))),
                1e-15);
    }
}
