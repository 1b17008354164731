package studio.grounding.dataset.ui;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DatasetRouteParameterTest {

    @Test
    void decodesWhatTheRouterHandsOver() {
        assertThat(DatasetItemsView.decode("GranD_f%20val")).isEqualTo("GranD_f val");
        assertThat(DatasetItemsView.decode("a+b")).isEqualTo("a+b");
        assertThat(DatasetItemsView.decode("100%25%20done")).isEqualTo("100% done");
        assertThat(DatasetItemsView.decode("bad%zz")).isEqualTo("bad%zz");
    }
}
