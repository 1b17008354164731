package studio.grounding.interchange;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InterchangeFormatTest {

    @TempDir
    Path dir;

    @Test
    void guessesFromGlammFileNames() {
        assertThat(InterchangeFormat.guess(Path.of("GranDf_HA_GCG_train.json"))).contains(InterchangeFormat.GRANDF);
        assertThat(InterchangeFormat.guess(Path.of("OpenPsgGCG_val.json"))).contains(InterchangeFormat.GRANDF);
        assertThat(InterchangeFormat.guess(Path.of("flickr_mergedGT_GCG_train.json"))).contains(InterchangeFormat.FLICKR);
        assertThat(InterchangeFormat.guess(Path.of("RefCOCOg_GCG_val.json"))).contains(InterchangeFormat.REFCOCOG);
        assertThat(InterchangeFormat.guess(Path.of("val_test/test_gcg_coco_mask_gt.json"))).contains(InterchangeFormat.COCO_GCG);
        assertThat(InterchangeFormat.guess(Path.of("export.jsonl"))).contains(InterchangeFormat.JSONL);
        assertThat(InterchangeFormat.guess(dir)).contains(InterchangeFormat.PREDICTIONS);
        assertThat(InterchangeFormat.guess(Path.of("data.json"))).isEmpty();
        assertThat(InterchangeFormat.guess(Path.of("val_gcg_coco_caption_gt.json"))).isEmpty();
    }

    @Test
    void givesTheReaders() {
        assertThat(InterchangeFormat.GRANDF.reader(null)).isInstanceOf(GrandfReader.class);
        assertThat(InterchangeFormat.COCO_GCG.reader(null)).isInstanceOf(CocoGcgReader.class);
        assertThat(InterchangeFormat.REFCOCOG.reader(ImageDimensions.fromDirectory(dir))).isInstanceOf(RefCocogReader.class);
        assertThatThrownBy(() -> InterchangeFormat.REFCOCOG.reader(null)).isInstanceOf(IllegalArgumentException.class);
    }
}
